'use strict';
// Checks the extension's JSON against Clarifai's own protobuf schema
// (clarifai-nodejs-grpc's .proto files, loaded with protobufjs, keepCase):
//  (a) every kind of to_json output (annotations and inputs) is a valid
//      message and survives fromObject -> toObject key by key;
//  (b) messages built with protobufjs and serialized both ways (zeros left
//      out, as after a binary round trip; and toObject({defaults: true})) are
//      accepted by the API and store the same labels as the request written
//      by hand;
//  (c) a field coverage table, found by probing the API field by field, is
//      printed (--table) or compared with README.md's.
// protobufjs has no proto3 JSON mapping for the well-known types, so
// Timestamp (RFC 3339 text) and Struct (a plain object) are converted here.
const fs = require('fs');
const path = require('path');
const protobuf = require('protobufjs');
const { Client } = require('pg');

const TIMESTAMP = '.google.protobuf.Timestamp';
const STRUCT = '.google.protobuf.Struct';
const VALUE = '.google.protobuf.Value';

function loadSchema() {
  const pkg = path.join(__dirname, 'node_modules', 'clarifai-nodejs-grpc');
  const pbjs = path.join(__dirname, 'node_modules', 'protobufjs');
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    for (const base of [path.join(pkg, 'proto'), pkg, pbjs]) {
      const p = path.join(base, target);
      if (fs.existsSync(p)) return p;
    }
    return target;
  };
  root.loadSync(['clarifai/api/resources.proto', 'clarifai/api/service.proto'], { keepCase: true });
  root.resolveAll();
  valueNames(root);
  return root;
}

// ---- proto3 JSON <-> protobufjs objects ----

// google.protobuf.Value's fields by number: protobufjs defines them itself,
// in camelCase, whatever keepCase says
let V = {};
function valueNames(root) {
  const type = root.lookupType('google.protobuf.Value');
  const by = (id) => type.fieldsArray.find((f) => f.id === id).name;
  V = { null: by(1), number: by(2), string: by(3), bool: by(4), struct: by(5), list: by(6) };
}
function valueToObj(v) {
  if (v === null) return { [V.null]: 0 };
  if (typeof v === 'number') return { [V.number]: v };
  if (typeof v === 'string') return { [V.string]: v };
  if (typeof v === 'boolean') return { [V.bool]: v };
  if (Array.isArray(v)) return { [V.list]: { values: v.map(valueToObj) } };
  return { [V.struct]: structToObj(v) };
}
function structToObj(o) {
  const fields = {};
  for (const [k, v] of Object.entries(o)) fields[k] = valueToObj(v);
  return { fields };
}
function valueToJson(o) {
  if (V.struct in o) return structToJson(o[V.struct]);
  if (V.list in o) return (o[V.list].values || []).map(valueToJson);
  for (const k of [V.number, V.string, V.bool]) if (k in o) return o[k];
  return null;
}
function structToJson(o) {
  const out = {};
  for (const [k, v] of Object.entries(o.fields || {})) out[k] = valueToJson(v);
  return out;
}
function timestampToObj(s, where, problems) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) { problems.push(`${where}: not an RFC 3339 UTC time: ${JSON.stringify(s)}`); return null; }
  return { seconds: Math.floor(Date.parse(m[1] + 'Z') / 1000), nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}
function timestampToJson(o) {
  const day = new Date(Number(o.seconds || 0) * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${day}.${String(Math.floor((o.nanos || 0) / 1000)).padStart(6, '0')}Z`;
}

// JSON as the API writes it -> an object for Type.fromObject; keys that are
// not fields of the message are problems.
function jsonToObj(type, json, where, problems) {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    problems.push(`${where}: expected an object for ${type.name}`);
    return {};
  }
  const out = {};
  for (const [k, v] of Object.entries(json)) {
    const f = type.fields[k];
    if (!f) { problems.push(`${where}.${k}: not a field of ${type.name}`); continue; }
    if (v === null) continue;
    if (f.repeated && !Array.isArray(v)) { problems.push(`${where}.${k}: expected a list`); continue; }
    out[k] = f.repeated ? v.map((e, i) => fieldToObj(f, e, `${where}.${k}[${i}]`, problems))
      : fieldToObj(f, v, `${where}.${k}`, problems);
  }
  return out;
}
function fieldToObj(f, v, where, problems) {
  const t = f.resolvedType;
  if (t instanceof protobuf.Type) {
    if (t.fullName === TIMESTAMP) return timestampToObj(v, where, problems);
    if (t.fullName === STRUCT) return structToObj(v);
    if (t.fullName === VALUE) return valueToObj(v);
    return jsonToObj(t, v, where, problems);
  }
  if (t instanceof protobuf.Enum && !(typeof v === 'number' ? Object.values(t.values).includes(v) : v in t.values))
    problems.push(`${where}: ${JSON.stringify(v)} is not a value of ${t.name}`);
  const scalar = { string: 'string', bool: 'boolean', float: 'number', double: 'number', int32: 'number', uint32: 'number' }[f.type];
  if (scalar && typeof v !== scalar) problems.push(`${where}: expected a ${scalar} for ${f.type}, got ${JSON.stringify(v)}`);
  return v;
}
// A protobufjs object (toObject) -> proto3 JSON.
function objToJson(type, obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    const f = type.fields[k];
    if (!f) continue;
    if (v === null) { out[k] = null; continue; }
    out[k] = f.repeated ? v.map((e) => fieldToJson(f, e)) : fieldToJson(f, v);
  }
  return out;
}
function fieldToJson(f, v) {
  const t = f.resolvedType;
  if (t instanceof protobuf.Type) {
    if (t.fullName === TIMESTAMP) return timestampToJson(v);
    if (t.fullName === STRUCT) return structToJson(v);
    if (t.fullName === VALUE) return valueToJson(v);
    return objToJson(t, v);
  }
  return v;
}

// Paths where two JSON values differ.
function differences(a, b, where, out) {
  // an empty list is a list left out
  if ((a === undefined && Array.isArray(b) && b.length === 0) || (b === undefined && Array.isArray(a) && a.length === 0))
    return out;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences(a[k], b[k], Array.isArray(a) ? `${where}[${k}]` : `${where}.${k}`, out);
  } else if (a !== b) {
    out.push(`${where}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`);
  }
  return out;
}

let failures = 0;
let checks = 0;
function check(ok, what, detail) {
  checks++;
  if (!ok) { failures++; console.log(`FAIL ${what}${detail ? '\n  ' + detail : ''}`); }
}

// (a) a to_json document is a valid message and survives a round trip
function roundTrip(type, json, what) {
  const problems = [];
  const obj = jsonToObj(type, json, what, problems);
  check(problems.length === 0, `${what} is a valid ${type.name}`, problems.join('\n  '));
  const msg = type.fromObject(obj);
  const err = type.verify(msg);
  check(err === null, `${what} verifies`, err);
  type.decode(type.encode(msg).finish());
  const back = objToJson(type, type.toObject(msg, { longs: String, enums: Number, bytes: String }));
  const diff = differences(json, back, what, []);
  check(diff.length === 0, `${what} survives fromObject -> toObject key by key`, diff.join('\n  '));
}

// proto3 JSON as the canonical writers print it: fields at their default
// (0, "", false, an enum's zero, []) left out. protobufjs keeps the ones
// set explicitly, so they are taken out here.
function withoutDefaults(type, obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    const f = type.fields[k];
    const t = f.resolvedType;
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    if (t instanceof protobuf.Type && ![TIMESTAMP, STRUCT, VALUE].includes(t.fullName)) {
      out[k] = f.repeated ? v.map((e) => withoutDefaults(t, e)) : withoutDefaults(t, v);
    } else if (f.repeated || t instanceof protobuf.Type) {
      out[k] = v;
    } else if (!(v === 0 || v === '' || v === false || v === '0' || (t instanceof protobuf.Enum && t.values[v] === 0))) {
      out[k] = v;
    }
  }
  return out;
}

// (b) the two ways protobufjs writes a message
function serializations(type, plain) {
  const problems = [];
  const msg = type.decode(type.encode(type.fromObject(jsonToObj(type, plain, 'a sample', problems))).finish());
  check(problems.length === 0, `a sample ${type.name} is valid`, problems.join('\n  '));
  const opts = { longs: String, enums: String, bytes: String };
  return {
    compact: withoutDefaults(type, objToJson(type, type.toObject(msg, opts))),
    defaults: objToJson(type, type.toObject(msg, { ...opts, defaults: true })),
  };
}

const LABELS = `user_id, model_version_id, status::text, bbox::text, concepts, region_concepts,
                frame_index, frame_time, annotation_info, task_id, embed_model_version_id, input_level,
                trusted, consensus_info`;

// Each kind of annotation: as written by hand (the README's form), and as a
// protobufjs message (a plain object for fromObject).
const KINDS = [
  ['concepts', { input_id: 'img', data: { concepts: [{ id: 'tree', value: 1 }, { id: 'sky', name: 'Sky', value: 0.5 }] } }],
  ['box at the top left', {
    input_id: 'img', status: { code: 'ANNOTATION_PENDING' },
    data: { regions: [{ id: 'r-1', region_info: { bounding_box: { top_row: 0, left_col: 0, bottom_row: 0.5, right_col: 0.25 } },
      data: { concepts: [{ id: 'bike', value: 1 }] } }] },
  }],
  ['first frame', {
    input_id: 'vid',
    data: { frames: [{ frame_info: { index: 0, time: 0 },
      data: { regions: [{ region_info: { bounding_box: { top_row: 0.1, left_col: 0, bottom_row: 0.5, right_col: 0.5 } },
        data: { concepts: [{ id: 'dog', value: 1 }] } }] } }] },
  }],
  ['later frame', { input_id: 'vid', task_id: 't-1', data: { frames: [{ frame_info: { index: 12, time: 480 }, data: { concepts: [{ id: 'cat', value: 1 }] } }] } }],
  ['annotation_info and embedding', { input_id: 'img', embed_model_version_id: 'emb-1', annotation_info: { source: 'tool', n: 2, tags: ['a'] }, data: { concepts: [{ id: 'x', value: 1 }] } }],
  ['trusted, with consensus_info', {
    input_id: 'img', trusted: true, consensus_info: { group: 'g-1', parent: { id: 'a-0', split: true }, votes: [2, 1] },
    data: { concepts: [{ id: 'agreed', value: 1 }] },
  }],
  ['user worker', { input_id: 'img', worker: { user: { id: 'postgres' } }, data: { concepts: [{ id: 'w', value: 1 }] } }],
  ['model worker', {
    input_id: 'img', worker: { model: { id: 'general', model_version: { id: 'v-1' } } },
    data: { regions: [{ region_info: { bounding_box: { top_row: 0.2, left_col: 0.2, bottom_row: 0.6, right_col: 0.9 } },
      data: { concepts: [{ id: 'car', value: 0.875 }] } }] },
  }],
];

// (c) field coverage, probed: a non-default value for each field of each
// message, in a request that is otherwise valid.
const BOX = { top_row: 0.1, left_col: 0.1, bottom_row: 0.5, right_col: 0.5 };
const PROBES = {
  Annotation: (k, v) => ['post_annotations', [{ input_id: 'img', [k]: v }]],
  Data: (k, v) => ['post_annotations', [{ input_id: 'img', data: { [k]: v } }]],
  Region: (k, v) => ['post_annotations', [{ input_id: 'img', data: { regions: [{ region_info: { bounding_box: BOX }, [k]: v }] } }]],
  RegionInfo: (k, v) => ['post_annotations', [{ input_id: 'img', data: { regions: [{ region_info: { bounding_box: BOX, [k]: v } }] } }]],
  BoundingBox: (k, v) => ['post_annotations', [{ input_id: 'img', data: { regions: [{ region_info: { bounding_box: { ...BOX, [k]: v } } }] } }]],
  Concept: (k, v) => ['post_annotations', [{ input_id: 'img', data: { concepts: [{ id: 'c', [k]: v }] } }]],
  Frame: (k, v) => ['post_annotations', [{ input_id: 'vid', data: { frames: [{ frame_info: { index: 1 }, [k]: v }] } }]],
  FrameInfo: (k, v) => ['post_annotations', [{ input_id: 'vid', data: { frames: [{ frame_info: { [k]: v } }] } }]],
  Input: (k, v) => ['post_inputs', [{ id: 'probe', data: { text: { raw: 'x' } }, [k]: v }]],
};

// A value that is not the field's default: a message gets its first field set.
function sampleValue(f, depth = 0) {
  const t = f.resolvedType;
  let v;
  if (t instanceof protobuf.Type) {
    v = t.fullName === TIMESTAMP ? '2020-01-02T03:04:05.000006Z' : t.fullName === STRUCT ? { k: 1 }
      : t.fullName === VALUE ? 1
        : depth > 3 || t.fieldsArray.length === 0 ? {}
          : { [t.fieldsArray[0].name]: sampleValue(t.fieldsArray[0], depth + 1) };
  } else if (t instanceof protobuf.Enum) {
    v = Object.keys(t.values).find((n) => t.values[n] !== 0);
  } else {
    v = { string: 'x', bytes: 'eA==', bool: true, float: 0.25, double: 0.25 }[f.type] ?? 1;
  }
  return f.repeated ? [v] : v;
}

// what the API says about the field itself (errors about what is inside it
// or about other values mean it read the field)
async function probe(db, fn, body, field) {
  await db.query('SAVEPOINT probe');
  try {
    await db.query(`SELECT count(*) FROM annotations.${fn}('wire-conf', $1::jsonb)`, [JSON.stringify(body)]);
    return 'read';
  } catch (e) {
    if (e.message.includes(`: unknown key "${field}"`)) return 'refused';
    if (e.message.includes(`.${field}: this field is not kept here`)) return 'default only';
    return 'read';
  } finally {
    await db.query('ROLLBACK TO SAVEPOINT probe');
  }
}

async function coverage(db, root) {
  const rows = [];
  for (const name of Object.keys(PROBES)) {
    const type = root.lookupType('clarifai.api.' + name);
    const by = { read: [], 'default only': [], refused: [] };
    for (const f of type.fieldsArray) {
      const [fn, body] = PROBES[name](f.name, sampleValue(f));
      by[await probe(db, fn, body, f.name)].push(f.name);
    }
    rows.push([name, by.read, by['default only'], by.refused]);
  }
  const params = (await db.query(`SELECT unnest(proargnames) AS a FROM pg_proc
      WHERE oid = 'annotations.list_annotations'::regproc`)).rows.map((r) => r.a);
  const list = root.lookupType('clarifai.api.ListAnnotationsRequest');
  const given = list.fieldsArray.map((f) => f.name);
  // user_app_id (user and app) is the app_id argument
  const param = (n) => params.includes(n === 'user_app_id' ? 'app_id' : n);
  rows.push(['ListAnnotationsRequest', given.filter(param), [], given.filter((n) => !param(n))]);
  const cell = (names) => (names.length ? names.map((n) => '`' + n + '`').join(', ') : '—');
  return ['| message | read | accepted at its default only | refused |', '| --- | --- | --- | --- |',
    ...rows.map(([n, r, d, x]) => `| ${n} | ${cell(r)} | ${cell(d)} | ${cell(x)} |`)].join('\n');
}

async function main() {
  const root = loadSchema();
  const Annotation = root.lookupType('clarifai.api.Annotation');
  const Input = root.lookupType('clarifai.api.Input');
  const db = new Client();
  await db.connect();
  await db.query(`SET search_path = annotations, public`);
  await db.query(`SELECT id FROM create_app('wire-conf')`);
  await db.query(`SELECT id FROM post_inputs('wire-conf', $1)`, [JSON.stringify([
    { id: 'img', data: { image: { url: 'https://x/i.jpg', image_info: { width: 640, height: 480, format: 'jpeg' } },
      concepts: [{ id: 'outdoor', value: 1 }], metadata: { camera: 'north', n: 1 } } },
    { id: 'vid', data: { video: { url: 'https://x/v.mp4' } } },
    { id: 'txt', data: { text: { raw: 'hello' } } },
    { id: 'snd', data: { audio: { url: 'https://x/a.mp3' } } }])]);

  if (process.argv.includes('--table')) {
    await db.query('BEGIN');
    console.log(await coverage(db, root));
    await db.query('ROLLBACK');
    await db.end();
    return;
  }

  // (b) every kind, written three ways, stores the same labels
  let n = 0;
  for (const [kind, plain] of KINDS) {
    const { compact, defaults } = serializations(Annotation, plain);
    const ids = [`k${n}-hand`, `k${n}-compact`, `k${n}-defaults`];
    n++;
    const bodies = [plain, compact, defaults].map((b, i) => ({ ...b, id: ids[i] }));
    let stored;
    try {
      await db.query(`SELECT count(*) FROM post_annotations('wire-conf', $1)`, [JSON.stringify(bodies)]);
      stored = (await db.query(`SELECT id, ${LABELS} FROM list_annotations('wire-conf', ids => $1, input_ids => $2) ORDER BY seq`,
        [ids, ids.map(() => plain.input_id)])).rows;
    } catch (e) {
      check(false, `${kind}: posted as written by hand, compact and with defaults`, e.message);
      continue;
    }
    const labels = stored.map(({ id, ...rest }) => JSON.stringify(rest));
    check(labels[1] === labels[0], `${kind}: the compact form stores what the hand-written one does`,
      `${labels[0]}\n  ${labels[1]}`);
    check(labels[2] === labels[0], `${kind}: the defaults form stores what the hand-written one does`,
      `${labels[0]}\n  ${labels[2]}`);
  }
  // proto3 leaves a value of 0 out, and Clarifai reads a missing value as 1
  const zero = serializations(Annotation, { input_id: 'img', data: { concepts: [{ id: 'absent', value: 0 }] } });
  check(zero.compact.data.concepts[0].value === undefined, 'the compact form leaves a concept value of 0 out');
  const z = await db.query(`SELECT concepts FROM post_annotations('wire-conf', $1)`, [JSON.stringify([zero.compact, zero.defaults])]);
  check(JSON.stringify(z.rows.map((r) => r.concepts[0].value)) === '[1,0]',
    'a concept value of 0: 1 when left out (Clarifai\'s default), 0 with defaults', JSON.stringify(z.rows));

  // (a) every to_json output
  const anns = (await db.query(`SELECT a.id, annotations.to_json(a) AS j FROM list_annotations('wire-conf',
      list_all_annotations => true, per_page => 1000) a ORDER BY seq`)).rows;
  check(anns.length >= KINDS.length * 3 + 1, `to_json of ${anns.length} annotations`);
  for (const { id, j } of anns) roundTrip(Annotation, j, `to_json(annotation ${id})`);
  const inputs = (await db.query(`SELECT i.id, annotations.to_json(i) AS j FROM list_inputs('wire-conf') i`)).rows;
  check(inputs.length === 4, 'to_json of every kind of input');
  for (const { id, j } of inputs) roundTrip(Input, j, `to_json(input ${id})`);

  // inputs built by protobufjs, both ways, store the same data
  const input = { id: 'built', data: { image: { url: 'https://x/b.jpg', image_info: { width: 3, height: 2 } },
    concepts: [{ id: 'c', value: 1 }], metadata: { a: [1, 'b'] } } };
  const forms = serializations(Input, input);
  const datas = [];
  for (const [i, body] of [input, forms.compact, forms.defaults].entries()) {
    try {
      const res = await db.query(`SELECT data FROM post_inputs('wire-conf', $1)`, [JSON.stringify([{ ...body, id: `built-${i}` }])]);
      datas.push(res.rows[0].data);
    } catch (e) {
      check(false, `an input built by protobufjs (form ${i}) is accepted`, e.message);
    }
  }
  check(datas.length === 3 && new Set(datas.map((d) => JSON.stringify(d))).size === 1,
    'an input stores the same data written by hand, compact and with defaults', datas.map((d) => JSON.stringify(d)).join('\n  '));

  // (c) the coverage table in README.md is the one the API shows
  await db.query('BEGIN');
  const table = await coverage(db, root);
  await db.query('ROLLBACK');
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const m = /<!-- proto-coverage: begin[^>]*-->\n([\s\S]*?)\n<!-- proto-coverage: end -->/.exec(readme);
  check(m !== null && m[1] === table, 'README.md\'s field coverage table is the one the API shows',
    m === null ? 'no table between <!-- proto-coverage: begin --> and <!-- proto-coverage: end -->'
      : `README:\n${m[1]}\n  API:\n${table}`);

  await db.query(`SELECT delete_inputs('wire-conf', ARRAY(SELECT id FROM list_inputs('wire-conf', per_page => 1000)))`);
  await db.query(`SELECT delete_app('wire-conf')`);
  await db.end();
  console.log(`conformance: ${checks} checks, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });

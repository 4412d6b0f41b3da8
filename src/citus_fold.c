/*
 * citus_fold.c — a kept statement's values written into it before Citus
 * plans it.
 *
 * Where Citus runs, each statement the store keeps that only reads (and
 * the few one-table statements that lock or update, marked fold) is
 * planned anew for its values (a custom plan). Citus recognizes a one-table statement on a
 * distributed table whose app id is a constant and, when the app's shard
 * is on this node (a delegated call), plans it with PostgreSQL's planner
 * on that shard straight away. The same statement with the app id as a
 * parameter is instead planned generically and, at every execution,
 * written out as text for the shard, parsed and planned again (Citus 13.2
 * also keeps each of those plans, so a kept statement would grow without
 * bound). PostgreSQL itself puts the bound values of a custom plan into
 * the statement, but only inside its planner, after Citus has looked; so
 * for the statements of the store this does it first. The result is the
 * plan PostgreSQL would have made, for these values only.
 *
 * kept statements ask for it just before they run (citus_fold_next_plan);
 * the planner hook takes the request with the next statement it plans,
 * which is that one, and nothing planned after it is touched.
 */
#include "postgres.h"

#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"

#include "citus_fold.h"

static bool fold_requested = false;

/* The next statement planned is a kept statement of the store. */
void
citus_fold_next_plan(void)
{
	fold_requested = true;
}

/* An external parameter with a bound value, as that constant. */
static Node *
fold_param(Param *p, ParamListInfo params)
{
	ParamExternData *prm;
	int16		typlen;
	bool		typbyval;
	Datum		value;

	if (p->paramkind != PARAM_EXTERN || p->paramid <= 0 || p->paramid > params->numParams)
		return NULL;
	prm = &params->params[p->paramid - 1];
	if (!(prm->pflags & PARAM_FLAG_CONST) || prm->ptype != p->paramtype)
		return NULL;
	get_typlenbyval(p->paramtype, &typlen, &typbyval);
	value = prm->isnull ? (Datum) 0 : datumCopy(prm->value, typbyval, typlen);
	return (Node *) makeConst(p->paramtype, p->paramtypmod, p->paramcollid, typlen,
							  value, prm->isnull, typbyval);
}

static Node *
fold_mutator(Node *node, ParamListInfo params)
{
	if (node == NULL)
		return NULL;
	if (IsA(node, Param))
	{
		Node	   *c = fold_param((Param *) node, params);

		if (c != NULL)
			return c;
	}
	if (IsA(node, Query))
		return (Node *) query_tree_mutator((Query *) node, fold_mutator, params, 0);
	return expression_tree_mutator(node, fold_mutator, params);
}

/*
 * The statement to plan: when a kept statement asked for it and has bound
 * values (a custom plan), with those values in place of its parameters;
 * otherwise as it is. Either way the request is used up.
 */
Query *
citus_fold_take(Query *parse, ParamListInfo params)
{
	bool		requested = fold_requested;

	fold_requested = false;
	if (!requested || params == NULL || params->paramFetch != NULL ||
		(parse->commandType != CMD_SELECT && parse->commandType != CMD_UPDATE) ||
		parse->hasModifyingCTE)
		return parse;
	return query_tree_mutator(parse, fold_mutator, params, 0);
}

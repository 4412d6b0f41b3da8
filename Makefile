# annotations — PGXS build.
#
# Sources are split by concern (src/*.c) and the install script by kind
# (sql/install/NN_kind.sql, concatenated in name order into the one shipped
# script). Regression inputs are sql/*.sql with outputs in expected/*.out;
# pgTAP suites live in test/pgtap/.

EXTENSION  = annotations
EXTVERSION = 1.1
MODULE_big = annotations
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
# The current version's script is assembled from sql/install/; released
# versions' scripts are kept as they shipped, next to the upgrade scripts
# that lead from each of them to the current one.
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA       = $(wildcard sql/$(EXTENSION)--*--*.sql) sql/$(EXTENSION)--1.0.sql

INSTALL_PARTS = $(sort $(wildcard sql/install/*.sql))
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(filter-out sql/$(EXTENSION)--%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=annotations

# Warnings are errors; unused parameters are excused (fmgr signatures).
PG_CPPFLAGS = -Isrc -Wall -Wextra -Werror -Wno-unused-parameter
ifdef ASSERTS
PG_CPPFLAGS += -DUSE_ASSERT_CHECKING
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS knows nothing of our headers: rebuild every object when one changes.
$(OBJS): $(wildcard src/*.h)

$(EXTENSION)--$(EXTVERSION).sql: $(INSTALL_PARTS)
	cat $^ > $@

.PHONY: deps test check-all prove fuzz demo explore bench cppcheck reliability test-citus bench-citus

# Debian packages needed to build, test and demo (idempotent).
deps:
	bash tools/deps.sh

# The whole test suite on a throwaway cluster (needs `make install` first;
# `make test` does everything).
test: deps all
	$(MAKE) install
	pg_virtualenv -t -v 15 $(MAKE) check-all

check-all:
	bash test/run_all.sh

# The store on a throwaway Citus cluster (a coordinator and two workers on
# loopback): Citus built from ../shared/citus unless this version is
# installed already, the extension installed, distributed, and checked
# through every node (test/citus/run.sh).
test-citus: deps all
	PG_CONFIG=$(PG_CONFIG) bash test/citus/build.sh
	$(MAKE) install
	PG_CONFIG=$(PG_CONFIG) bash test/citus/run.sh

# API calls through a Citus coordinator against one server, side by side
# (test/citus/bench.sh); figures in BENCHMARKS.md.
bench-citus: all
	PG_CONFIG=$(PG_CONFIG) bash test/citus/build.sh
	$(MAKE) install
	PG_CONFIG=$(PG_CONFIG) bash test/citus/bench.sh

demo: deps all
	$(MAKE) install
	pg_virtualenv -t -v 15 bash demo/run.sh

# The demo, then psql on its database; the throwaway cluster lives until
# psql exits, so a person can look around the demo's data.
explore: deps all
	$(MAKE) install
	pg_virtualenv -t -v 15 bash -c 'bash demo/run.sh >/dev/null && psql -X -d annotations_demo'

bench: all
	$(MAKE) install
	pg_virtualenv -t -v 15 -o shared_buffers=1GB -o max_wal_size=8GB bash test/bench/run.sh

reliability: all
	$(MAKE) install
	pg_virtualenv -t -v 15 bash test/reliability/run.sh

cppcheck:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem \
	  -D__GNUC__ -D__x86_64__ "-Dpg_attribute_noreturn()=__attribute__((noreturn))" \
	  -I src -I $(shell $(PG_CONFIG) --includedir-server) src/*.c

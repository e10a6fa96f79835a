# issuelist: one entry point to build, install, test, demo and benchmark.
#
#   make            build the extension (PGXS) and the client
#   make install    install both (the extension into PostgreSQL 15)
#   make test       every test, against throw-away clusters
#   make demo       a throw-away cluster with the sample province
#   make bench      benchmarks (not part of make test)
#   make deb        the Debian packages, into deb/
#   make deb-test   install them with dpkg -i and run installcheck against them
#   make clean      leave the tree as cloned

PG_MAJOR   = 15
PG_CONFIG ?= /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config
EXTVERSION = 1.1
# The released version before it: its install script is frozen in
# extension/released/, and the upgrade script from it is assembled from
# extension/upgrade/$(PREVVERSION)--$(EXTVERSION)/*.sql (see
# docs/versions-and-upgrades.md).
PREVVERSION = 1.0

# Debian packages the build and the tests need.  Missing ones are installed
# when make runs as root; otherwise make stops and names the apt-get line.
# The meeting pack (client pack) draws its charts with gnuplot, prints with
# Chromium, and its Chinese names need a font with Chinese characters.
PACKAGES = postgresql-$(PG_MAJOR) postgresql-contrib postgresql-server-dev-$(PG_MAJOR) \
           libpq-dev libreadline-dev libssl-dev libipc-run-perl libio-pty-perl valgrind \
           openjdk-17-jdk-headless libpostgresql-jdbc-java \
           odbc-postgresql unixodbc unixodbc-dev time python3-sqlalchemy python3-psycopg2 \
           postgresql-$(PG_MAJOR)-cron \
           gnuplot-nox chromium fonts-droid-fallback
# make deb and make deb-test need only what builds the Debian packages
# (debian/control's Build-Depends); a package build and debian/tests set
# ISSUELIST_APT=no, since there the build dependencies are Debian's business.
DEB_GOALS    = deb deb-test
DEB_PACKAGES = postgresql-$(PG_MAJOR) postgresql-contrib postgresql-server-dev-all \
               postgresql-server-dev-$(PG_MAJOR) libpq-dev libreadline-dev libssl-dev \
               build-essential debhelper dpkg-dev
CHECK_PACKAGES = $(if $(filter $(DEB_GOALS),$(MAKECMDGOALS)),$(DEB_PACKAGES)) \
                 $(if $(filter-out $(DEB_GOALS),$(MAKECMDGOALS))$(if $(MAKECMDGOALS),,all),$(PACKAGES))
ifneq ($(ISSUELIST_APT),no)
MISSING_PACKAGES := $(shell for p in $(sort $(CHECK_PACKAGES)); do \
	dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done)
ifneq ($(strip $(MISSING_PACKAGES)),)
ifeq ($(shell id -u),0)
$(info issuelist: installing missing Debian packages: $(MISSING_PACKAGES))
APT_STATUS := $(shell (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq $(MISSING_PACKAGES)) >&2; echo $$?)
ifneq ($(APT_STATUS),0)
$(error apt-get install failed for: $(MISSING_PACKAGES))
endif
else
$(error missing Debian packages; run as root: apt-get install -y $(MISSING_PACKAGES))
endif
endif
endif

# The extension: one .c per type or concern, one SQL fragment per concern.
# The install script is assembled from extension/sql/*.sql in name order;
# the upgrade script from the previous release from its own fragments, with
# the same last fragment (a fixed search_path for the functions it adds).
MODULE_big = issuelist
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c)))
MODULEDIR  = extension
DATA       = extension/issuelist.control $(wildcard extension/released/issuelist--*.sql)
UPGRADE_SCRIPT = extension/issuelist--$(PREVVERSION)--$(EXTVERSION).sql
DATA_built = extension/issuelist--$(EXTVERSION).sql $(UPGRADE_SCRIPT)
PG_CPPFLAGS = -Iextension
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
# SHA-256 through OpenSSL's libcrypto directly, where PostgreSQL was built
# with it (extension/sha256.c says why).
SHLIB_LINK  = $(filter -lcrypto,$(shell $(PG_CONFIG) --libs))

# pg_regress: every sql/NAME.sql against expected/NAME.out, in name order.
REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --outputdir=tests/results
EXTRA_CLEAN  = tests/results tests/tmp_check

# No JIT bitcode: it doubles the build time and the functions are small.
override with_llvm = no
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

SCRIPT_PARTS = $(sort $(wildcard extension/sql/*.sql))
extension/issuelist--$(EXTVERSION).sql: $(SCRIPT_PARTS)
	cat $(SCRIPT_PARTS) > $@
UPGRADE_PARTS = $(sort $(wildcard extension/upgrade/$(PREVVERSION)--$(EXTVERSION)/*.sql)) \
                extension/sql/99_search_path.sql
$(UPGRADE_SCRIPT): $(UPGRADE_PARTS)
	cat $(UPGRADE_PARTS) > $@
# PGXS tracks no header: every object is built again when one changes (a
# struct one file embeds and another fills must have one layout).
$(OBJS): $(wildcard extension/*.h)

# The client.
all: client
client:
	$(MAKE) -C client PG_CONFIG=$(PG_CONFIG)
install: install-client
install-client: client
	$(MAKE) -C client install PG_CONFIG=$(PG_CONFIG)
clean: clean-client
clean-client:
	$(MAKE) -C client clean

# Tests: pg_regress in a pg_virtualenv cluster, then the TAP tests (client,
# several clusters, pty) as the unprivileged postgres user.  The clusters are
# UTF8 (C.UTF-8 is always there on Debian) whatever the caller's locale, so
# Chinese names and their display widths are the same in every run.
test: all install
	mkdir -p tests/results
	LANG=C.UTF-8 LC_ALL=C.UTF-8 pg_virtualenv -t -v $(PG_MAJOR) $(MAKE) installcheck PG_CONFIG=$(PG_CONFIG)
	tests/run-tap

# The demo: a throw-away cluster with the sample province, its ranking and a
# county's report, then the shell on a terminal.
demo: all install
	client/demo

# Benchmarks: ratios against baselines measured in the same run.
bench: all install
	tests/bench/run

# Long runs of the reliability tests (short runs are part of make test).
fuzz: all install
	tests/fuzz/run
load: all install
	tests/load/run

# Debian packages (debian/, built with pg_buildext): postgresql-15-issuelist
# and issuelist-client, built from a copy of the tree (its files as a clone
# has them, with uncommitted changes) in deb/, where the .deb files end up.
# make deb-test installs them with dpkg -i (it changes this machine: the
# files go where make install puts them), checks the installed client's
# version and the package's files, and runs the regression tests against the
# installed extension with pg_buildext installcheck, as autopkgtest does
# (debian/tests), in a copy of the tree that has no build product.
EXTRA_CLEAN += deb
DEB_VERSION = $(shell head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')
DEB_SRC     = deb/src/issuelist-$(EXTVERSION)
DEB_CHECK   = deb/check/issuelist-$(EXTVERSION)
DEB_FILES   = deb/postgresql-$(PG_MAJOR)-issuelist_$(DEB_VERSION)_*.deb \
              deb/issuelist-client_$(DEB_VERSION)_*.deb
# The tree's files as a fresh clone has them, plus files not yet committed
# (not those that .gitignore names, i.e. no build product), into $(1).
copy_tree = mkdir -p $(1) && git ls-files -z --cached --others --exclude-standard \
	| tar --null --ignore-failed-read -T - -cf - | tar -C $(1) -xf -
deb:
	@case "$(DEB_VERSION)" in $(EXTVERSION)-*) ;; \
	  *) echo "debian/changelog has $(DEB_VERSION), the extension is $(EXTVERSION)" >&2; exit 1;; esac
	@grep -q '"version": "$(EXTVERSION).0"' META.json || \
	  { echo "META.json does not give version $(EXTVERSION).0" >&2; exit 1; }
	rm -rf deb
	$(call copy_tree,$(DEB_SRC))
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	mv deb/src/*.deb deb/src/*.buildinfo deb/src/*.changes deb/
	rm -rf deb/src
	ls -l deb
deb-test: $(if $(wildcard $(DEB_FILES)),,deb)
	dpkg -i $(wildcard $(DEB_FILES))
	dpkg --verify postgresql-$(PG_MAJOR)-issuelist issuelist-client
	test "$$(/usr/bin/issuelist --version)" = "issuelist $(EXTVERSION)"
	/usr/bin/issuelist --version
	set -e; for f in issuelist.control issuelist--$(PREVVERSION).sql issuelist--$(EXTVERSION).sql \
	  issuelist--$(PREVVERSION)--$(EXTVERSION).sql; do \
	  dpkg -S /usr/share/postgresql/$(PG_MAJOR)/extension/$$f; done
	dpkg -S /usr/lib/postgresql/$(PG_MAJOR)/lib/issuelist.so
	rm -rf deb/check
	$(call copy_tree,$(DEB_CHECK))
	test ! -e $(DEB_CHECK)/issuelist.so && test ! -e $(DEB_CHECK)/extension/issuelist--$(EXTVERSION).sql
	cd $(DEB_CHECK) && debian/tests/installcheck || { dpkg --verify postgresql-$(PG_MAJOR)-issuelist \
	  || echo "deb-test: the package's files changed since dpkg -i (a make install meanwhile?)"; exit 1; } >&2
	# The packaged 1.0 script and the upgrade script: 1.0, then updated.
	LANG=C.UTF-8 pg_virtualenv -v $(PG_MAJOR) psql -X -A -t -v ON_ERROR_STOP=1 \
	  -c "SET client_min_messages = warning" \
	  -c "CREATE EXTENSION issuelist VERSION '$(PREVVERSION)' CASCADE" \
	  -c "ALTER EXTENSION issuelist UPDATE" \
	  -c "SELECT 'updated to ' || extversion FROM pg_extension WHERE extname = 'issuelist'" \
	  | tee deb/check/update.out
	grep -qx 'updated to $(EXTVERSION)' deb/check/update.out
	rm -rf deb/check
	@echo "deb-test: packages $(DEB_VERSION) installed, installcheck passed"

.PHONY: client install-client clean-client test demo bench fuzz load deb deb-test

# The two set-up commands of the README: `make demo` and `make test`.
# Each installs what it needs (Debian packages, through scripts/setup.sh) and is safe to rerun.
MVN ?= mvn -B -ntp

.PHONY: setup test-servers demo test

setup:
	bash scripts/setup.sh

# What only the integration tests need (the demo does not pay for it): the servers the stores' *IT
# run against, built or prepared once and cached outside the work tree.
test-servers: setup
	bash scripts/setup-search-servers.sh
	bash scripts/setup-redisearch.sh
	bash scripts/setup-test-tools.sh

demo: setup
	./ragkit demo

# `install`, not `verify`: the example host project then builds against the installed artifacts, through
# the BOM, as another project would (the reactor's tests run once, in the first command).
test: test-servers
	$(MVN) install
	$(MVN) -f examples/host-project/pom.xml verify

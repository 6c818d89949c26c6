# The two set-up commands of the README: `make demo` and `make test`.
# Each installs what it needs (Debian packages, through scripts/setup.sh) and is safe to rerun.
MVN ?= mvn -B -ntp

.PHONY: setup demo test

setup:
	bash scripts/setup.sh

demo: setup
	./ragkit demo

# `install`, not `verify`: the example host project then builds against the installed artifacts, through
# the BOM, as another project would (the reactor's tests run once, in the first command).
test: setup
	$(MVN) install
	$(MVN) -f examples/host-project/pom.xml verify

# The two set-up commands of the README: `make demo` and `make test`.
# Each installs what it needs (Debian packages, through scripts/setup.sh) and is safe to rerun.
MVN ?= mvn -B -ntp

.PHONY: setup demo test

setup:
	bash scripts/setup.sh

demo: setup
	./ragkit demo

test: setup
	$(MVN) verify

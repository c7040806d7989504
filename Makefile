# Thin wrapper for those who prefer make; run.sh is the real entry point.
.PHONY: setup report test
setup:
	bash run.sh setup
report:
	bash run.sh report
test:
	bash run.sh test

# The two commands: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 0.0.0.0
export PORT HOST

.PHONY: run test setup install-prod assets translations migrate lint bench mutation screenshots clean

run: setup
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi demo ensure
	$(BIN)/python wsgi.py

# Lint first (seconds): ruff, and the layers of docs/architecture.md (.importlinter).
test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.stamp-deps static/vendor/.stamp static/bundle/.stamp translations

$(VENV)/.stamp-deps: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# A production install (docs/deploy.md): the runtime packages only (no test or profiling tools),
# the Socket.IO browser client and the compiled translations, built once by whoever owns the
# checkout (root); the service user only reads them. Editable, because templates/, static/ and
# migrations/ sit beside the package in the checkout, where create_app looks for them.
install-prod:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js static/vendor/
	$(PHONE_BUNDLE)
	$(BIN)/pybabel compile -d participation/translations -f --statistics 2>&1 | tail -n 2

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Third-party browser code comes from npm and is copied, never committed.
static/vendor/.stamp: node_modules/.stamp
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js static/vendor/
	cp node_modules/axe-core/axe.min.js static/vendor/
	touch $@

# The phone's modules as one minified file (web/assets.py: a third of the bytes on venue
# Wi-Fi, one request instead of 25); staff screens load their modules as written.
PHONE_BUNDLE = node_modules/.bin/esbuild static/js/phone.js --bundle --format=esm --minify \
	--sourcemap --outfile=static/bundle/phone.js --log-level=warning
static/bundle/.stamp: node_modules/.stamp $(shell find static/js -name '*.js')
	$(PHONE_BUNDLE)
	touch $@

translations: $(VENV)/.stamp-deps
	$(BIN)/pybabel compile --use-fuzzy -d participation/translations -f --statistics 2>&1 | tail -n 2

extract-messages: $(VENV)/.stamp-deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k plural_noop:1,2 -o participation/translations/messages.pot .
	for lang in sv fi ar so fa uk se; do \
	  $(BIN)/pybabel update -i participation/translations/messages.pot -d participation/translations -l $$lang --no-fuzzy-matching || exit 1; done
	# Meänkieli (fit) has no CLDR locale: updated as Finnish (the same plural rule), then its
	# own code put back in the header.
	$(BIN)/pybabel update -i participation/translations/messages.pot -o participation/translations/fit/LC_MESSAGES/messages.po -l fi --no-fuzzy-matching
	sed -i 's/^"Language: fi\\n"$$/"Language: fit\\n"/' participation/translations/fit/LC_MESSAGES/messages.po

# The full benchmark (docs/benchmarks.md), about 30 minutes on a quiet 2-core machine: the sizes,
# the sustained paced run with a py-spy profile, the same against the bare stack; then the
# saturated rates (a step search for the highest rate held with ack p95 <= 300 ms), ours and
# the bare stack's, each on a fresh server, and their ratio; then nginx + two and three
# processes on PostgreSQL and Redis, searched the same way; then the join page's bytes on the
# wire. Rows land in bench-results/ (a profile that py-spy could not take, e.g. without
# ptrace, does not stop the run).
BENCH_SIZES ?= 250 1000 2000 5000
BENCH_RATE ?= 1000
BENCH_DURATION ?= 60
BENCH_PHONES ?= 1000
BENCH_SATURATE_FROM ?= 500
BENCH_STEP ?= 10
# The multi-process runs empty and use <database>_bench beside this database.
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/participation
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
BENCH_DIR ?= bench-results
BENCH_ARGS = --rate $(BENCH_RATE) --duration $(BENCH_DURATION) --sustained-phones $(BENCH_PHONES)
BENCH_SEARCH = --step $(BENCH_STEP) --sustained-phones $(BENCH_PHONES)
BENCH_SITE = --postgres-url $(BENCH_POSTGRES_URL) --redis-url $(BENCH_REDIS_URL)

# A sampled mutation score of the write path (docs/mutation.md); not part of `make test`.
MUTATION_ARGS ?=
mutation: setup
	$(BIN)/pip install -q -e '.[mutation]'
	$(BIN)/python mutation/run.py $(MUTATION_ARGS)

bench: setup
	mkdir -p $(BENCH_DIR)
	$(BIN)/python -m bench.phones $(BENCH_SIZES) $(BENCH_ARGS) --bare \
		--profile $(BENCH_DIR)/profile-one.txt --out $(BENCH_DIR)/one.jsonl
	-$(BIN)/python -m bench.profile_report $(BENCH_DIR)/profile-one.txt \
		--rows $(BENCH_DIR)/one.jsonl | tee $(BENCH_DIR)/profile-one.md
	$(BIN)/python -m bench.phones --saturate $(BENCH_SATURATE_FROM) $(BENCH_SEARCH) --bare \
		--out $(BENCH_DIR)/saturation.jsonl
	$(BIN)/python -m bench.phones --saturate 200 $(BENCH_SEARCH) --topology two $(BENCH_SITE) \
		--out $(BENCH_DIR)/two.jsonl
	$(BIN)/python -m bench.phones --saturate 200 $(BENCH_SEARCH) --topology three $(BENCH_SITE) \
		--out $(BENCH_DIR)/three.jsonl
	$(BIN)/python -m bench.page_weight | tee $(BENCH_DIR)/page-weight.json

# The README's pictures, from the end-to-end browser test of a whole workshop.
screenshots: setup
	@command -v chromium >/dev/null && command -v zbarimg >/dev/null || \
	  { echo "needs Debian's chromium and zbar-tools (apt-get install chromium zbar-tools)"; exit 1; }
	DOCS_IMAGES=docs/images $(BIN)/python -m pytest tests/browser/test_end_to_end.py \
	  tests/browser/test_projector_room.py -q

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor static/bundle

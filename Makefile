# ZoneCRM: `make run` serves the demo, `make test` runs the whole suite. Both set up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
export FLASK_APP := app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup db system-deps

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

# The report tests read PDFs back with poppler (pdftotext, pdffonts, pdftoppm), and the export
# tests print the desk's .xlsx with LibreOffice (libreoffice-calc, headless); the shifted-clock
# pass runs under libfaketime (faketime, which brings libfaketime); the browser
# tests drive Debian's Chromium (Playwright's own browser download is never used) in Chinese:
# chromium-l10n, so that date fields read 年/月/日 as in a Chinese user's browser (only a hint
# when it is missing and we are not root: nothing but the screenshots' date fields differ). The fonts
# ship with the code (reports/fonts/ for PDFs, app/static/fonts/ for pages), so nothing else is
# needed from the system. Whatever is missing is
# installed in one apt-get run when we are root; otherwise the message says what to install.
system-deps:
	@missing=""; \
	{ command -v pdftotext && command -v pdffonts && command -v pdftoppm; } >/dev/null || missing="poppler-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v faketime >/dev/null || missing="$$missing faketime"; \
	[ -e /usr/lib/chromium/locales/zh-CN.pak ] || { [ "$$(id -u)" = 0 ] && missing="$$missing chromium-l10n" || \
		echo "提示：未安装 chromium-l10n，浏览器测试截图中的日期框将是英文格式" >&2; }; \
	[ -z "$$missing" ] || \
		{ command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; } || \
		{ echo "请先安装：$$missing（apt-get install -y$$missing）" >&2; exit 1; }
	@# Without its recommends: they bring a system CJK font (fonts-droid-fallback), and the
	@# browser tests must see a machine without one; the export test gives LibreOffice reports/fonts.
	@command -v libreoffice >/dev/null || \
		{ command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc; } || \
		{ echo "请先安装：libreoffice-calc（apt-get install -y --no-install-recommends libreoffice-calc）" >&2; exit 1; }

db: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data

run: db
	@echo ""
	@echo "演示账号（密码均为 Demo@2024）："
	@echo "  开发区领导  sjzgx-l1   （石家庄高新区；其他开发区为 <代码>-l1、-l2 …）"
	@echo "  招商专员    sjzgx-s1"
	@echo "  投促局      tcj"
	@echo "  系统管理员  admin"
	@echo "  审计管理员  auditor"
	@echo "访问 http://$(HOST):$(PORT)"
	@echo ""
	@# The app and one worker (imports, the schedule); the first Ctrl-C stops both.
	@$(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# ruff first (ruff.toml), then the suite's passes side by side (tests/passes.sh): on SQLite; on
# SQLite again with the clock seen as 23:30 UTC on 31 December (libfaketime); on PostgreSQL
# when TEST_DATABASE_URL is set. Each logs to artifacts/test-<pass>.log and gets its own
# Redis database when a Redis answers on 127.0.0.1:6379 (the shared-cache test runs). The
# browser tests' screenshots land in artifacts/screenshots/ (the shifted pass's in
# artifacts/screenshots-shifted/).
test: $(STAMP) system-deps
	@$(BIN)/ruff check --quiet app bench tests reports examples config.py migrations
	@BIN=$(BIN) bash tests/passes.sh

# Province-scale benchmark (see docs/benchmarks.md); PostgreSQL too when BENCH_DATABASE_URL is set.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Concurrent users against gunicorn; every acknowledged write must be in the database.
.PHONY: load
load: $(STAMP)
	$(BIN)/python bench/load.py

# The nation on PostgreSQL: two gunicorn app servers behind haproxy, one worker, 50 users, one
# server killed halfway (docs/benchmarks.md), paced as people (NATIONAL_PAUSE=3-8 s), then a
# saturation run for capacity (NATIONAL_SATURATION_SECONDS=60, 0 skips). NATIONAL_SCALE=0.1
# generates a tenth of the projects and contacts; NATIONAL_REUSE=1 keeps the data. Long; never part of `make test` or CI.
.PHONY: bench-national
bench-national: $(STAMP)
	$(BIN)/python bench/national.py

# Everything runs from a fresh clone with only python3 and make: each target builds the
# virtualenv first, and reinstalls when pyproject.toml changes (the stamp is older).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp-pyproject
OFFSCREEN := QT_QPA_PLATFORM=offscreen

.PHONY: venv demo test conformance bench soak lint screenshots package translations

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

demo: venv
	$(PY) main.py --demo

test: venv
	$(OFFSCREEN) $(PY) -m pytest -q -p no:cacheprovider -m "not slow and not benchmark"

# A third party's view of the QuickBooks sandbox: the public client libraries (python-quickbooks,
# intuit-oauth) in their own venv, not the app's dependencies, against the sandbox run as a
# separate process from the app's venv on 127.0.0.1 (tests/conformance/conftest.py starts it).
CONFORMANCE_VENV := .venv-conformance
CONFORMANCE_STAMP := $(CONFORMANCE_VENV)/.stamp-conformance
# Pinned: a new release of either library must not change what CI checks unnoticed.
CONFORMANCE_PACKAGES := python-quickbooks==0.9.12 intuit-oauth==1.2.6 pytest==9.2.0 requests==2.34.2

$(CONFORMANCE_STAMP): Makefile
	@test -x $(CONFORMANCE_VENV)/bin/python || $(PYTHON) -m venv $(CONFORMANCE_VENV)
	$(CONFORMANCE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		$(CONFORMANCE_PACKAGES)
	@touch $@

conformance: venv $(CONFORMANCE_STAMP)
	QBO_SANDBOX_CMD="$(abspath $(VENV))/bin/qbsync sandbox quickbooks" \
		$(CONFORMANCE_VENV)/bin/python -m pytest -q -c tests/conformance/pytest.ini tests/conformance

bench: venv
	@$(OFFSCREEN) $(PY) -m tests.benchmarks.run

soak: venv
	$(OFFSCREEN) $(PY) -m pytest -q -p no:cacheprovider -m slow

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy qbsync_desktop

# A real X server (not offscreen) so fonts, styles and window decorations look as users see them.
screenshots: venv
	@command -v xvfb-run >/dev/null || { echo "screenshots need xvfb-run (apt-get install xvfb)"; exit 1; }
	xvfb-run -a $(PY) -m tools.screenshots docs/screenshots

# The window's words (README, "Languages"): lupdate collects the tr()/translate() strings of the
# ui into the catalogues, keeping the translations already made; lrelease compiles the .qm files
# that ship. qbsync_en holds only the English plural forms of the %n messages.
I18N := qbsync_desktop/ui/i18n
LUPDATE := $(VENV)/bin/pyside6-lupdate -silent -no-obsolete -locations none -extensions py
translations: venv
	$(LUPDATE) qbsync_desktop/ui -ts $(I18N)/qbsync_et.ts
	$(LUPDATE) -pluralonly qbsync_desktop/ui -ts $(I18N)/qbsync_en.ts
	$(VENV)/bin/pyside6-lrelease -silent $(I18N)/qbsync_et.ts -qm $(I18N)/qbsync_et.qm
	$(VENV)/bin/pyside6-lrelease -silent $(I18N)/qbsync_en.ts -qm $(I18N)/qbsync_en.qm

# PyInstaller is a packaging tool, not a dependency of the app: installed only here.
package: venv
	@test -f packaging/qbsync.spec || { echo "packaging/qbsync.spec is missing"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check 'pyinstaller>=6'
	$(PY) -m PyInstaller --noconfirm --clean packaging/qbsync.spec

#!/usr/bin/env bash
# Runs policylint for the GitHub Action in action.yml (which installs policylint first).
#
# Inputs arrive as environment variables, set by action.yml's `env:` block rather than pasted
# into the script with ${{ }}, so that a path or value containing quotes or $(...) is data and
# can never become shell code:
#   INPUT_PATHS       files/folders to check (default "."). Separated by whitespace; if the value
#                     has several lines, each non-empty line is one path, so paths may contain spaces.
#   INPUT_FAIL_ON     error | warning | info | never (default "error")
#   INPUT_FORMAT      report format for the log (default "github": annotations on the PR diff)
#   INPUT_SARIF_FILE  if set, a SARIF report is written there too (for code scanning upload)
#   INPUT_DIFF_BASE   if set, a Git revision: review the changes since it (`policylint diff --base`)
#                     instead of checking the paths; a Markdown review goes to $GITHUB_STEP_SUMMARY
#   GITHUB_WORKSPACE  the checkout; paths are resolved from it so annotations point at repo files
#
# Exit code: the check's (0 clean, 1 findings at or above fail-on, 2 usage/config/internal error,
# a path that does not exist, or paths that hold no policy file),
# unless writing the SARIF file failed, which is reported and fails the step with its own code.
set -euo pipefail

paths_input="${INPUT_PATHS:-.}"
fail_on="${INPUT_FAIL_ON:-error}"
format="${INPUT_FORMAT:-github}"
sarif_file="${INPUT_SARIF_FILE:-}"
diff_base="${INPUT_DIFF_BASE:-}"

cd "${GITHUB_WORKSPACE:-.}"

paths=()
if [[ "$paths_input" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line="${line%$'\r'}"
    [[ -n "${line//[[:space:]]/}" ]] && paths+=("$line")
  done <<< "$paths_input"
else
  read -r -a paths <<< "$paths_input"
fi
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(.)
fi

if [[ -n "$diff_base" ]]; then
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    policylint diff --base "$diff_base" --format markdown --fail-on never -- "${paths[@]}" \
      >> "$GITHUB_STEP_SUMMARY" || true
  fi
  if [[ -n "$sarif_file" ]]; then
    mkdir -p -- "$(dirname -- "$sarif_file")"
    policylint diff --base "$diff_base" --format sarif --output "$sarif_file" --fail-on never -- "${paths[@]}" \
      || echo "::error title=policylint::writing the SARIF report to ${sarif_file} failed"
  fi
  status=0
  policylint diff --base "$diff_base" --format "$format" --fail-on "$fail_on" -- "${paths[@]}" || status=$?
  exit "$status"
fi

sarif_status=0
if [[ -n "$sarif_file" ]]; then
  mkdir -p -- "$(dirname -- "$sarif_file")"
  # --exit-zero: this run only writes the report; the run below decides pass or fail.
  policylint check --format sarif --output "$sarif_file" --exit-zero -- "${paths[@]}" \
    || sarif_status=$?
  if [[ $sarif_status -ne 0 ]]; then
    echo "::error title=policylint::writing the SARIF report to ${sarif_file} failed (exit code ${sarif_status})"
  fi
fi

status=0
# --fail-on-empty: a mistyped or empty `paths` input must fail the step, not pass "0 files checked".
policylint check --format "$format" --fail-on "$fail_on" --fail-on-empty -- "${paths[@]}" || status=$?

if [[ $status -eq 0 && $sarif_status -ne 0 ]]; then
  exit "$sarif_status"
fi
exit "$status"

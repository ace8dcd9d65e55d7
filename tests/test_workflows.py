"""The GitHub Actions workflows: schema-valid, zizmor-clean, and shaped as promised.

The schema check (check-jsonschema's vendored GitHub workflow schema) and zizmor's
offline audits run here as subprocesses; neither reaches the network.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))

SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$")


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def triggers(workflow: dict) -> dict:
    on = workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def all_steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in steps(job):
            yield job_id, step


def run_scripts(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for _job, step in all_steps(workflow))


def zizmor_command() -> list[str] | None:
    beside = Path(sys.executable).parent / "zizmor"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("zizmor")
    return [found] if found else None


# --- the tools --------------------------------------------------------------------------

def test_there_are_workflows() -> None:
    names = {path.name for path in WORKFLOW_FILES}
    assert {"ci.yml", "preview.yml", "preview-cleanup.yml", "pages-publish.yml"} <= names


@pytest.mark.skipif(importlib.util.find_spec("check_jsonschema") is None,
                    reason="check-jsonschema is not installed (pip install check-jsonschema)")
def test_workflows_match_the_github_workflow_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, WORKFLOW_FILES)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(zizmor_command() is None, reason="zizmor is not installed (pip install zizmor)")
def test_zizmor_finds_nothing() -> None:
    result = subprocess.run(
        [*zizmor_command(), "--offline", "--no-progress", "--color", "never", str(WORKFLOWS)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- structure that holds for every workflow --------------------------------------------

@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_a_version_comment(path: Path) -> None:
    seen = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        match = USES_LINE.match(line)
        if not match:
            continue
        seen += 1
        target, comment = match.groups()
        if target.startswith(("$/", "./")):
            continue  # a workflow of this repository, at the running commit
        assert SHA_PIN.match(target), f"{path.name}: not pinned to a full commit SHA: {line.strip()}"
        assert comment and re.search(r"v\d+(\.\d+)*", comment), \
            f"{path.name}: pinned without a version comment: {line.strip()}"
    assert seen, f"{path.name} uses no action at all?"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load(path.name)
    assert workflow.get("permissions") == {}, f"{path.name}: top level must be `permissions: {{}}`"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {job_id} does not set its permissions"
        perms = job["permissions"]
        assert isinstance(perms, dict) and "write-all" not in str(perms), f"{path.name}: {job_id}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    for job_id, step in all_steps(load(path.name)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, \
                f"{path.name}: job {job_id} checks out with persisted credentials"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expression_is_expanded_inside_a_shell_script(path: Path) -> None:
    # Values reach `run:` scripts through env:, never as ${{ }} pasted into the script.
    for job_id, step in all_steps(load(path.name)):
        assert "${{" not in step.get("run", ""), f"{path.name}: job {job_id}: {step.get('name')}"


# --- ci.yml -------------------------------------------------------------------------------

def test_ci_runs_on_every_push_and_pull_request() -> None:
    on = triggers(load("ci.yml"))
    assert "push" in on and "pull_request" in on
    push = on["push"] or {}
    assert "branches" not in push, "CI must run on pushes to every branch"
    assert not (on["pull_request"] or {}).get("branches"), "CI must run on every pull request"


def test_ci_concurrency_cancels_older_pull_request_runs() -> None:
    concurrency = load("ci.yml")["concurrency"]
    assert "github.event.pull_request.number" in concurrency["group"]
    cancel = concurrency["cancel-in-progress"]
    # Cancels for pull requests and branches, never for main (a deployment in flight).
    assert cancel is True or cancel == "${{ github.ref != 'refs/heads/main' }}"


def test_ci_tests_builds_checks_links_and_uploads() -> None:
    ci = load("ci.yml")
    scripts = run_scripts(ci)
    assert "bash scripts/test.sh" in scripts
    assert re.search(r"python -m builder build --strict --site-url \"\$SITE_URL\"", scripts)
    assert re.search(r"python -m builder\.linkcheck site --base-path \"\$BASE_PATH\"", scripts)
    uploads = {step["with"]["name"]: step for _job, step in all_steps(ci)
               if str(step.get("uses", "")).startswith("actions/upload-artifact@")}
    assert uploads["site"]["with"]["path"].rstrip("/") == "site"
    assert uploads["test-screenshots"]["with"]["path"].rstrip("/") == "tests/artifacts"
    assert uploads["test-screenshots"]["if"] == "always()"
    for _job, step in all_steps(ci):
        if str(step.get("uses", "")).startswith("actions/setup-python@"):
            assert step["with"]["python-version"] == "3.11" and step["with"]["cache"] == "pip"


def test_ci_deploys_pages_on_main_only() -> None:
    ci = load("ci.yml")
    deploy = ci["jobs"]["deploy"]
    assert deploy["uses"].endswith("/.github/workflows/pages-publish.yml")
    assert deploy["with"]["mode"] == "site"
    condition = deploy["if"].replace(" ", "")
    assert "github.event_name=='push'" in condition and "github.ref=='refs/heads/main'" in condition
    assert set(deploy["needs"]) == {"test", "site"}
    assert deploy["permissions"]["pages"] == "write" and deploy["permissions"]["id-token"] == "write"
    # No other job of CI may write anything.
    for job_id, job in ci["jobs"].items():
        if job_id != "deploy":
            assert set(job["permissions"].values()) <= {"read"}, job_id


def test_pages_publish_uses_the_pages_actions() -> None:
    publish = load("pages-publish.yml")
    assert "workflow_call" in triggers(publish)
    deploy = publish["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    used = [step.get("uses", "") for step in steps(deploy)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in used)
    assert any(u.startswith("actions/deploy-pages@") for u in used)
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["cancel-in-progress"] is False


# --- previews -------------------------------------------------------------------------------

def test_preview_runs_after_ci_without_pull_request_code() -> None:
    preview = load("preview.yml")
    on = triggers(preview)
    assert set(on) == {"workflow_run"}
    assert on["workflow_run"]["workflows"] == [load("ci.yml")["name"]]
    assert preview["concurrency"]["cancel-in-progress"] is True
    # push and pull_request CI runs of one branch must not cancel each other's previews.
    assert "github.event.workflow_run.event" in preview["concurrency"]["group"]
    assert "github.event.workflow_run.head_branch" in preview["concurrency"]["group"]
    assert "github.event.workflow_run.event == 'pull_request'" in preview["jobs"]["find-pr"]["if"]
    # Nothing from the pull request is checked out in the privileged context.
    for job_id, step in all_steps(preview):
        assert not str(step.get("uses", "")).startswith("actions/checkout@"), job_id
    publish = preview["jobs"]["publish"]
    assert publish["with"]["mode"] == "preview"
    assert publish["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    # One comment, found again by its marker and updated.
    scripts = run_scripts(preview)
    assert "<!-- pr-preview-comment -->" in scripts and "-X PATCH" in scripts and "pr-preview/pr-" in scripts


def test_preview_cleanup_on_pull_request_close() -> None:
    cleanup = load("preview-cleanup.yml")
    on = triggers(cleanup)
    assert on["pull_request_target"]["types"] == ["closed"]
    for job_id, step in all_steps(cleanup):
        assert not str(step.get("uses", "")).startswith("actions/checkout@"), \
            f"pull_request_target must never check out code ({job_id})"
    publish = cleanup["jobs"]["publish"]
    assert publish["with"]["mode"] == "remove"


def test_no_pull_request_target_checkout_anywhere() -> None:
    for path in WORKFLOW_FILES:
        workflow = load(path.name)
        if "pull_request_target" in triggers(workflow):
            for _job, step in all_steps(workflow):
                assert "checkout" not in str(step.get("uses", "")), path.name

#!/usr/bin/env python3
"""Runs docs/BATCH.md's scale-out recipes as written, on real engines (make scale-out).

The recipes' code blocks are read from the docs by their `<!-- test: NAME -->` markers, so the docs
cannot drift from what runs here:
- slurm: a one-node Slurm (slurmctld, slurmd, munged: this script's own, on 127.0.0.1) runs the
  array script as submitted in the docs; a corrupt input fails in its own task's report, and the
  docs' jq line lists exactly that failure; the docs' single-task rerun redoes only that task's missing output and keeps every other report and output.
- parallel: GNU parallel over ssh to an sshd of this script's own on 127.0.0.1 (keys made here),
  two host names; the failed part is rerun alone as the docs say.
- kubernetes: deploy/kubernetes rendered by `kubectl kustomize`; the Job's pod command runs, once per
  index, inside the image's root filesystem (make rootfs) with chroot, as the pod's user, with the
  Job's volumes mounted as Kubernetes mounts them (fsGroup ownership, the Secret read-only).

Every daemon is started in the foreground as a child and stopped on every exit path.
Usage: scripts/test-scale-out.py [slurm] [parallel] [kubernetes]   (as root; default all three)
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs", "BATCH.md")
ROOTFS = os.path.join(ROOT, ".build", "rootfs")
MEDIA = ["h264-aac.mp4", "vp8-opus.webm", "vp9-opus.webm", "opus.ogg"]
PARTS = 8
JOBS = 16
BROKEN = 3  # job 3 belongs to part 3


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def recipe(name):
    """The fenced code block that follows `<!-- test: NAME -->` in docs/BATCH.md."""
    text = open(DOCS).read()
    match = re.search(r"<!-- test: " + re.escape(name) + r" -->\n```[a-z]*\n(.*?)```\n", text, re.S)
    check(match, f"docs/BATCH.md has no code block marked 'test: {name}'")
    return match.group(1)


def run(command, **options):
    options.setdefault("check", True)
    return subprocess.run(command, text=True, capture_output=True, **options)


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def wait_until(condition, what, timeout=300):
    deadline = time.monotonic() + timeout
    while not condition():
        check(time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}")
        time.sleep(1)


def start(stack, command, log, **options):
    """A daemon in the foreground, as this script's child, its output in `log`, killed and reaped
    on every exit path."""
    with open(log, "ab") as output:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, **options)

    def stop():
        if process.poll() is None:
            process.kill()
        process.wait()

    stack.callback(stop)
    return process


# The data set: 16 manifest lines over a few bundled clips, one of them corrupt until repaired.


def job_name(k):
    return f"clip-{k:02d}{os.path.splitext(MEDIA[k % len(MEDIA)])[1]}"


def make_dataset(folder):
    os.makedirs(os.path.join(folder, "in"))
    os.makedirs(os.path.join(folder, "keys"))
    with open(os.path.join(folder, "jobs.jsonl"), "w") as manifest:
        for k in range(JOBS):
            name = job_name(k)
            if k == BROKEN:
                with open(os.path.join(folder, "in", name), "wb") as corrupt:
                    corrupt.write(b"\x00\x00\x00\x18ftypisom" + b"not media" * 500)
            else:
                shutil.copy(os.path.join(ROOT, "Fixtures", "media", MEDIA[k % len(MEDIA)]), os.path.join(folder, "in", name))
            manifest.write(json.dumps({"input": f"in/{name}", "output": f"enc/{name}"}) + "\n")
    key = os.path.join(folder, "keys", "room.json")
    shutil.copy(os.path.join(ROOT, "Fixtures", "keys", "shared.json"), key)
    os.chmod(key, 0o600)


def repair(folder):
    shutil.copy(os.path.join(ROOT, "Fixtures", "media", MEDIA[BROKEN % len(MEDIA)]), os.path.join(folder, "in", job_name(BROKEN)))


def read_report(path, base, part):
    """The part's summary, checked against the jobs that part owns; returns {job name: status}."""
    check(os.path.exists(path), f"{os.path.relpath(path)} was not written")
    report = json.load(open(path))
    check(report["shard"] == f"{part}/{PARTS}", f"{path}: shard {report['shard']}, expected {part}/{PARTS}")
    owned = [job_name(k) for k in range(JOBS) if k % PARTS == part]
    names = [os.path.relpath(result["input"], os.path.join(base, "in")) for result in report["results"]]
    check(sorted(names) == sorted(owned), f"{path}: part {part} ran {names}, expected {owned}")
    return {name: result["status"] for name, result in zip(names, report["results"])}


def check_first_run(folder, base, failed_report):
    """Every part's report is in place and right; only the corrupt input failed, in part 3's report."""
    for part in range(PARTS):
        path = os.path.join(folder, "reports", f"shard-{part}.json")
        if part == BROKEN:
            path = os.path.join(folder, "reports", failed_report)
        statuses = read_report(path, base, part)
        for name, status in statuses.items():
            expected = "failed" if name == job_name(BROKEN) else "ok"
            check(status == expected, f"{path}: {name} is {status}, expected {expected}")
    outputs = sorted(os.listdir(os.path.join(folder, "enc")))
    expected = sorted(job_name(k) for k in range(JOBS) if k != BROKEN)
    check([name for name in outputs if not name.startswith(".")] == expected, f"outputs {outputs}, expected {expected}")


def snapshot(folder):
    """Content and modification time of every report and output except part 3's."""
    kept = {}
    for sub in ("reports", "enc"):
        for name in os.listdir(os.path.join(folder, sub)):
            path = os.path.join(folder, sub, name)
            if name.startswith(".") or name == f"shard-{BROKEN}.json" or name == job_name(BROKEN):
                continue
            kept[path] = (sha256(path), os.stat(path).st_mtime_ns)
    return kept


def check_rerun(folder, base, kept, framecrypt):
    """Part 3 redid only its missing output; nothing else changed; every output decrypts."""
    statuses = read_report(os.path.join(folder, "reports", f"shard-{BROKEN}.json"), base, BROKEN)
    for name, status in statuses.items():
        expected = "ok" if name == job_name(BROKEN) else "skipped"
        check(status == expected, f"after the rerun, {name} is {status}, expected {expected}")
    for path, before in kept.items():
        check((sha256(path), os.stat(path).st_mtime_ns) == before, f"the rerun of part {BROKEN} changed {path}")
    verified = run([framecrypt, "verify-keys", os.path.join(folder, "enc"), "--key-file", os.path.join(folder, "keys", "room.json"), "--json"], check=False)
    check(verified.returncode == 0, f"verify-keys on the outputs exited {verified.returncode}: {verified.stderr.strip()}")
    summary = json.loads(verified.stdout)
    check(summary["succeeded"] == JOBS, f"verify-keys verified {summary['succeeded']} outputs, expected {JOBS}")


# Slurm


SLURM_CONF = """ClusterName=framecrypt-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={home}/munge.socket
CredType=cred/munge
StateSaveLocation={home}/state
SlurmdSpoolDir={home}/spool
SlurmctldPidFile={home}/slurmctld.pid
SlurmdPidFile={home}/slurmd.pid
SlurmctldLogFile={home}/slurmctld.log
SlurmdLogFile={home}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""


def task_state(env, task):
    shown = run(["scontrol", "show", "job", task], env=env, check=False).stdout
    match = re.search(r"JobState=(\w+)", shown)
    return match.group(1) if match else "UNKNOWN"


def slurm(work, framecrypt):
    home = os.path.join(work, "slurm")
    for sub in ("state", "spool"):
        os.makedirs(os.path.join(home, sub))
    os.chmod(work, 0o755)
    os.chmod(home, 0o755)
    with open(os.path.join(home, "munge.key"), "wb") as key:
        key.write(os.urandom(1024))
    os.chmod(os.path.join(home, "munge.key"), 0o400)
    conf = os.path.join(home, "slurm.conf")
    with open(conf, "w") as out:
        out.write(SLURM_CONF.format(home=home, cpus=os.cpu_count()))
    env = dict(os.environ, SLURM_CONF=conf, PATH=os.path.dirname(framecrypt) + ":" + os.environ["PATH"])
    folder = os.path.join(work, "recordings")
    make_dataset(folder)
    with open(os.path.join(folder, "framecrypt.sbatch"), "w") as script:
        script.write(recipe("framecrypt.sbatch"))

    with contextlib.ExitStack() as stack:
        munge = ["munged", "--foreground", f"--socket={home}/munge.socket", f"--key-file={home}/munge.key",
                 f"--pid-file={home}/munged.pid", f"--log-file={home}/munged.log", f"--seed-file={home}/munge.seed"]
        start(stack, munge, f"{home}/munged.out")
        wait_until(lambda: os.path.exists(f"{home}/munge.socket"), "munged's socket", 30)
        start(stack, ["slurmctld", "-D", "-i"], f"{home}/slurmctld.out", env=env)
        start(stack, ["slurmd", "-D", "-N", "localhost"], f"{home}/slurmd.out", env=env)
        wait_until(lambda: run(["sinfo", "-h", "-o", "%T"], env=env, check=False).stdout.strip() == "idle", "the Slurm node", 60)
        stack.callback(lambda: run(["scancel", "--full", "--partition=test"], env=env, check=False))

        submitted = run(["sh", "-e", "-c", recipe("slurm-submit")], cwd=folder, env=env)
        job = re.search(r"Submitted batch job (\d+)", submitted.stdout)
        check(job, f"sbatch did not submit: {submitted.stdout} {submitted.stderr}")
        job = job.group(1)
        wait_until(lambda: run(["squeue", "-h", "-j", job], env=env, check=False).stdout.strip() == "", "the array job")
        states = {part: task_state(env, f"{job}_{part}") for part in range(PARTS)}
        expected = {part: "FAILED" if part == BROKEN else "COMPLETED" for part in range(PARTS)}
        check(states == expected, f"array task states {states}, expected {expected}")
        for part in range(PARTS):
            check(os.path.exists(os.path.join(folder, "logs", f"framecrypt-{part}.log")), f"task {part} wrote no log")
        check_first_run(folder, folder, f"shard-{BROKEN}.json")
        failures = run(["sh", "-e", "-c", recipe("collect")], cwd=folder).stdout.splitlines()
        broken = os.path.join(folder, "in", job_name(BROKEN))
        check(len(failures) == 1 and failures[0].startswith(f"{broken}: "), f"the docs' failure listing printed {failures}")

        kept = snapshot(folder)
        repair(folder)
        run(["sh", "-e", "-c", recipe("slurm-rerun").replace("JOBID", job)], cwd=folder, env=env)
        wait_until(lambda: task_state(env, f"{job}_{BROKEN}") == "COMPLETED", f"task {BROKEN} to complete after its requeue")
        check_rerun(folder, folder, kept, framecrypt)
    return f"Slurm: array of {PARTS} tasks, task {BROKEN}'s failure reported in its report, requeued alone and redone"


# GNU parallel over ssh


def parallel(work, framecrypt):
    home = os.path.join(work, "ssh")
    os.makedirs(home)
    for name in ("host_key", "client_key"):
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(home, name)])
    shutil.copy(os.path.join(home, "client_key.pub"), os.path.join(home, "authorized_keys"))
    port = 2722
    with open(os.path.join(home, "sshd_config"), "w") as out:
        out.write(f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {home}/host_key\nPidFile none\n"
                  f"AuthorizedKeysFile {home}/authorized_keys\nPasswordAuthentication no\n"
                  "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUsePAM no\n"
                  "StrictModes no\n"  # its files live under /tmp, which others may write to
                  f"SetEnv PATH={os.path.dirname(framecrypt)}:/usr/bin:/bin\n")
    client = os.path.join(home, "ssh_config")
    with open(client, "w") as out:
        out.write(f"Host host1 host2\n  HostName 127.0.0.1\n  Port {port}\n  User root\n"
                  f"  IdentityFile {home}/client_key\n  IdentitiesOnly yes\n  BatchMode yes\n"
                  "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n")
    folder = os.path.join(work, "recordings")
    make_dataset(folder)
    with open(os.path.join(folder, "hosts.txt"), "w") as hosts:
        hosts.write(f"ssh -F {client} host1\nssh -F {client} host2\n")
    command = recipe("parallel")
    all_parts = " ::: " + " ".join(str(part) for part in range(PARTS))
    check(all_parts in command, f"the parallel recipe does not list the parts as '{all_parts.strip()}'")

    with contextlib.ExitStack() as stack:
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege-separation folder
        start(stack, ["/usr/sbin/sshd", "-D", "-e", "-f", os.path.join(home, "sshd_config")], os.path.join(home, "sshd.log"))
        wait_until(lambda: run(["ssh", "-F", client, "host1", "true"], check=False).returncode == 0, "sshd", 30)

        first = run(["bash", "-c", command], cwd=folder, check=False)
        check(first.returncode == 1, f"parallel exited {first.returncode} with one failed part, expected 1: {first.stderr.strip()}")
        check_first_run(folder, folder, f".shard-{BROKEN}.json")
        check(not os.path.exists(os.path.join(folder, "reports", f"shard-{BROKEN}.json")), "the failed part's report was moved into place")

        kept = snapshot(folder)
        repair(folder)
        again = run(["bash", "-c", command.replace(all_parts, f" ::: {BROKEN}")], cwd=folder, check=False)
        check(again.returncode == 0, f"rerunning part {BROKEN} exited {again.returncode}: {again.stderr.strip()}")
        check_rerun(folder, folder, kept, framecrypt)
    return f"GNU parallel: {PARTS} parts over ssh to two host names, the failed part rerun alone"


# Kubernetes: the rendered Job's pod command inside the image's root filesystem


def kubernetes(work, framecrypt):
    check(shutil.which("kubectl"), "kubectl (1.21 or later, for kustomize replacements) is needed to render deploy/kubernetes")
    job_file = os.path.join(ROOT, "deploy", "kubernetes", "job.yaml")
    check(recipe("deploy/kubernetes/job.yaml") == open(job_file).read(), "docs/BATCH.md's Job differs from deploy/kubernetes/job.yaml")
    rendered = list(yaml.safe_load_all(run(["kubectl", "kustomize", os.path.join(ROOT, "deploy", "kubernetes")]).stdout))
    job = next(item for item in rendered if item["kind"] == "Job")
    claim = next(item for item in rendered if item["kind"] == "PersistentVolumeClaim")
    check("ReadWriteMany" in claim["spec"]["accessModes"], "the claim is not ReadWriteMany")
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {item["name"]: item["value"] for item in container.get("env", [])}
    parts = job["spec"]["completions"]
    check(job["spec"]["completionMode"] == "Indexed", "the Job is not Indexed")
    check(env.get("FRAMECRYPT_PARTS") == str(parts), f"FRAMECRYPT_PARTS is {env.get('FRAMECRYPT_PARTS')}, completions {parts}")
    check(parts == PARTS, f"the Job has {parts} completions; this test's data set is split for {PARTS}")
    apply = recipe("kubernetes-apply")
    check(f"-t {container['image']} " in apply, f"the docs build an image other than the Job's {container['image']}")
    check("kubectl apply -k deploy/kubernetes" in apply, "the docs do not apply deploy/kubernetes with -k")

    containerfile = open(os.path.join(ROOT, "Containerfile")).read()
    uid = re.search(r"useradd .*--uid (\d+)", containerfile).group(1)
    workdir = re.findall(r"^WORKDIR (\S+)", containerfile, re.M)[-1]
    security = pod["securityContext"]
    check(str(security["runAsUser"]) == uid and f"USER {uid}:" in containerfile, f"the pod's user {security['runAsUser']} is not the image's {uid}")
    group = security["fsGroup"]
    check(os.path.exists(os.path.join(ROOTFS, ".framecrypt-rootfs")), "no root filesystem: run make rootfs first")

    # The volumes as kubelet prepares them: the claim's files owned by the fsGroup group (folders
    # setgid), the Secret's file root-owned with its defaultMode plus group read.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    data = os.path.join(work, "claim")
    make_dataset(data)
    for folder, _, files in os.walk(data):
        os.chown(folder, 0, group)
        os.chmod(folder, 0o2775)
        for name in files:
            os.chown(os.path.join(folder, name), 0, group)
            os.chmod(os.path.join(folder, name), 0o664)
    secret = os.path.join(work, "secret")
    os.makedirs(secret)
    shutil.copy(os.path.join(ROOT, "Fixtures", "keys", "shared.json"), os.path.join(secret, "room.json"))
    os.chown(os.path.join(secret, "room.json"), 0, group)
    os.chmod(os.path.join(secret, "room.json"), volumes["keys"]["secret"]["defaultMode"] | 0o440)
    sources = {"data": data, "keys": secret}
    mounts = []
    for mount in container["volumeMounts"]:
        os.makedirs(ROOTFS + mount["mountPath"], exist_ok=True)
        mounts += [sources[mount["name"]], ROOTFS + mount["mountPath"], "ro" if mount.get("readOnly") else "rw"]

    def run_pod(index):
        variables = [f"{name}={value}" for name, value in env.items()]
        variables += [f"JOB_COMPLETION_INDEX={index}", "HOME=/", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        mount_all = ('while [ "$1" != -- ]; do mount --bind "$1" "$2" && { [ "$3" = rw ] || mount -o remount,bind,ro "$2"; } || exit 125; '
                     'shift 3; done; shift; exec "$@"')
        command = (["unshare", "--mount", "--pid", "--fork", f"--mount-proc={ROOTFS}/proc", "sh", "-c", mount_all, "mounts", *mounts, "--",
                    "chroot", f"--userspec={security['runAsUser']}:{security['runAsGroup']}", f"--groups={group}", ROOTFS,
                    "/usr/bin/env", "-i", *variables, "sh", "-c", 'cd "$0" && exec "$@"', workdir,
                    *container["command"], *container["args"]])
        return run(command, check=False)

    for index in range(parts):
        result = run_pod(index)
        expected = 1 if index == BROKEN else 0
        check(result.returncode == expected, f"pod {index} exited {result.returncode}, expected {expected}: {result.stderr.strip()}")
    check_first_run(data, "/data", f"shard-{BROKEN}.json")
    kept = snapshot(data)
    repair(data)
    result = run_pod(BROKEN)
    check(result.returncode == 0, f"the retried pod {BROKEN} exited {result.returncode}: {result.stderr.strip()}")
    os.chmod(os.path.join(data, "keys", "room.json"), 0o600)
    check_rerun(data, "/data", kept, framecrypt)
    return f"Kubernetes: {parts} pods of the rendered Job in the image's root filesystem as user {uid}, pod {BROKEN} retried"


def interrupted(number, _frame):
    raise SystemExit(128 + number)


def main():
    engines = {"slurm": slurm, "parallel": parallel, "kubernetes": kubernetes}
    chosen = sys.argv[1:] or list(engines)
    unknown = [name for name in chosen if name not in engines]
    if unknown:
        sys.exit(f"test-scale-out: unknown engine {unknown[0]} (choose from {', '.join(engines)})")
    if os.getuid() != 0:
        sys.exit("test-scale-out: needs root (Slurm's daemons, sshd, chroot and mounts)")
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, interrupted)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="framecrypt-scale-out-") as work:
        os.chmod(work, 0o755)  # munged wants every folder above its socket searchable by all
        prefix = os.path.join(work, "prefix")
        run(["make", "--no-print-directory", "-C", ROOT, "install", f"PREFIX={prefix}"])
        framecrypt = os.path.join(prefix, "bin", "framecrypt")
        for name in chosen:
            started = time.monotonic()
            engine_work = os.path.join(work, name)
            os.makedirs(engine_work)
            try:
                print(f"ok: {engines[name](engine_work, framecrypt)} ({time.monotonic() - started:.0f} s)", flush=True)
            except (Failure, subprocess.CalledProcessError) as error:
                failures += 1
                detail = f"{error}: {error.stderr.strip()}" if isinstance(error, subprocess.CalledProcessError) else str(error)
                print(f"FAILED: {name}: {detail}", file=sys.stderr, flush=True)
    print(f"test-scale-out: {len(chosen) - failures} of {len(chosen)} recipes work as written")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

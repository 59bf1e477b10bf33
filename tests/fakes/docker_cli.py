"""A stand-in for the docker CLI (there is no Docker engine here): `tests/fakes/docker.py` puts it on PATH.

It records each call's arguments and stdin, answers `info`, `build`, `image inspect`, `tag`,
`login` and `push` like the real CLI, and pushes into moto's ECR (AWS_ENDPOINT_URL) so the
repository really holds the tag afterwards. FAKE_DOCKER_DAEMON=down, FAKE_DOCKER_BUILD=fail and
FAKE_DOCKER_PUSH=denied make it fail as Docker does.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

state_file = Path(os.environ["FAKE_DOCKER_STATE"])
state = json.loads(state_file.read_text()) if state_file.exists() else {}
args = sys.argv[1:]
stdin = sys.stdin.read() if "--password-stdin" in args else ""
with open(os.environ["FAKE_DOCKER_LOG"], "a") as log:
    log.write(json.dumps({"argv": args, "stdin": stdin}) + "\n")


def save():
    state_file.write_text(json.dumps(state))


def fail(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


command = args[0] if args else ""
if command == "info":
    if os.environ.get("FAKE_DOCKER_DAEMON") == "down":
        fail("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
    print("27.3.1")
elif command == "build":
    ref, context = args[args.index("--tag") + 1], Path(args[-1])
    print(f"#1 [internal] load build definition from Dockerfile ({context})", file=sys.stderr)
    if os.environ.get("FAKE_DOCKER_BUILD") == "fail":
        fail('ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1')
    digest = hashlib.sha256()
    for path in sorted(p for p in context.rglob("*") if p.is_file()):
        digest.update(path.relative_to(context).as_posix().encode() + path.read_bytes())
    state[ref] = "sha256:" + digest.hexdigest()
    save()
    print(f"#9 naming to {ref} done", file=sys.stderr)
elif command == "image" and args[1] == "inspect":
    ref = args[-1]
    if ref not in state:
        fail(f"Error response from daemon: No such image: {ref}")
    print(state[ref])
elif command == "tag":
    if args[1] not in state:
        fail(f"Error response from daemon: No such image: {args[1]}")
    state[args[2]] = state[args[1]]
    save()
elif command == "login":
    if not stdin.strip():
        fail("Error: Cannot perform an interactive login from a non TTY device")
    print("Login Succeeded")
elif command == "push":
    ref = args[1]
    if ref not in state:
        fail(f"An image does not exist locally with the tag: {ref}")
    if os.environ.get("FAKE_DOCKER_PUSH") == "denied":
        fail("denied: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecr:InitiateLayerUpload")
    import boto3

    repository_uri, tag = ref.rsplit(":", 1)
    repository = repository_uri.split("/", 1)[1]
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1, "digest": state[ref]},
            # A changed file is a changed layer (moto derives the image digest from the layers' digests).
            "layers": [
                {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1, "digest": state[ref]}
            ],
        }
    )
    ecr = boto3.client("ecr", region_name=os.environ["AWS_REGION"], endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    ecr.put_image(repositoryName=repository, imageManifest=manifest, imageTag=tag)
    print(f"The push refers to repository [{repository_uri}]")
    print(f"{tag}: digest: {state[ref]} size: 528")
else:
    fail(f"fake docker: unsupported command {args}", 125)

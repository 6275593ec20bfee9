"""Drives a command in a pseudo-terminal as a person would: waits for each prompt, then types the answer.

usage: python3 init-pty.py '<json: {"argv": [...], "cwd": "...", "steps": [[prompt_regex, answer], ...]}>'
Prints the whole terminal transcript; exits with the command's exit status (or 99 when a prompt never came).
"""
import json, os, pty, re, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvp(spec["argv"][0], spec["argv"])

transcript = b""
seen = 0  # answers are only matched against output after the previous prompt


def read_some(timeout):
    global transcript
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    transcript += chunk
    return True


for pattern, answer in spec["steps"]:
    deadline = time.time() + 20
    regex = re.compile(pattern.encode())
    while True:
        match = regex.search(transcript, seen)
        if match:
            seen = match.end()
            break
        if time.time() > deadline or not read_some(0.5):
            sys.stdout.write(transcript.decode(errors="replace"))
            sys.stdout.write("\n[pty driver] prompt never came: %s\n" % pattern)
            sys.exit(99)
    for ch in answer + "\r":  # typed one key at a time
        os.write(fd, ch.encode())
        time.sleep(0.002)

while read_some(90):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(transcript.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))

/**
 * The start script's lifeline (scripts/start.ts): a small process in its own session that the start
 * script tells, over an IPC channel, about every process it starts (the Temporal dev server, the
 * worker, the API: each the leader of its own process group) and where PostgreSQL writes its pid.
 * When the channel closes — the start script exited after its orderly stop, or died any other way:
 * Ctrl-C at any moment, SIGTERM, the terminal's hang-up, even SIGKILL — it stops whatever of those is
 * still running: SIGTERM to each group, SIGKILL 8 s later, then it exits. Plain JavaScript, no
 * dependencies, so it starts in milliseconds and cannot fail to load.
 */
import fs from 'node:fs';

const groups = new Set();
const pidFiles = new Set();

process.on('message', (m) => {
  if (m && typeof m.group === 'number') groups.add(m.group);
  if (m && typeof m.pidFile === 'string') pidFiles.add(m.pidFile);
});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const signal = (pid, group, sig) => {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    // Gone already.
  }
};

function targets() {
  const out = [...groups].map((pid) => ({ pid, group: true }));
  for (const file of pidFiles) {
    try {
      // postmaster.pid: its first line is the server's pid; its backends exit with it.
      const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 1) out.push({ pid, group: false });
    } catch {
      // Not started, or stopped cleanly (it removes the file).
    }
  }
  return out.filter((t) => alive(t.pid));
}

process.on('disconnect', async () => {
  let left = targets();
  for (const t of left) signal(t.pid, t.group, 'SIGTERM');
  for (let i = 0; i < 40 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    left = left.filter((t) => alive(t.pid));
  }
  for (const t of left) signal(t.pid, t.group, 'SIGKILL');
  process.exit(0);
});

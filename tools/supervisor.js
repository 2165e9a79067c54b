// Keeps one service process running for `npm start`, as an orchestrator would: restarts it when it
// exits, and kills (SIGKILL) and restarts it when its health stops answering at all — a process
// that is alive but frozen (a busy loop, a heap at its limit) serves nobody. A health that answers
// 503 (Kafka or MongoDB down) is an answer: restarting would not help, so it is left alone.
'use strict';

const { spawn } = require('node:child_process');

class Supervisor {
  /**
   * @param {object} options
   * @param {string} options.name what the logs call it
   * @param {string[]} options.args node arguments (the script and its flags)
   * @param {NodeJS.ProcessEnv} options.env
   * @param {string} options.cwd
   * @param {string} options.healthUrl any HTTP answer here means the process is alive
   * @param {number} [options.livenessTimeoutMs] no answer for this long → killed and restarted
   * @param {number} [options.startGraceMs] time a (re)started process has to answer the first time
   * @param {(message: string) => void} options.log
   * @param {(reason: string) => void} options.onGiveUp called when it keeps exiting (more than 5 times a minute)
   * @param {'inherit' | 'pipe'} [options.stdio]
   */
  constructor(options) {
    this.options = {
      livenessTimeoutMs: 30_000,
      startGraceMs: 180_000,
      stdio: 'inherit',
      ...options,
    };
    this.child = null;
    this.stopping = false;
    this.exits = [];
    this.timer = null;
    this.starts = 0;
    // Once it has answered, it is a service that works: it is restarted however often it dies.
    this.everAnswered = false;
  }

  start() {
    const { args, env, cwd, stdio } = this.options;
    const child = spawn(process.execPath, args, { cwd, env, stdio });
    this.child = child;
    this.starts += 1;
    this.startedAt = Date.now();
    this.lastAnswerAt = null;
    child.on('exit', (code, signal) => this.exited(child, code, signal));
    this.watch(child);
    return child;
  }

  exited(child, code, signal) {
    if (this.child === child) this.child = null;
    clearTimeout(this.timer);
    if (this.stopping) return;
    const now = Date.now();
    this.exits = [...this.exits, now].filter((t) => now - t < 60_000);
    // A service that never came up keeps failing for a reason a restart will not mend (its
    // configuration, a port): say so and stop. One that has worked is restarted, waiting longer
    // each time it dies again soon (1 s, 2 s, 4 s … 30 s), as an orchestrator would.
    if (this.exits.length > 5 && !this.everAnswered) {
      this.options.onGiveUp(`${this.options.name} keeps exiting (code ${code ?? signal})`);
      return;
    }
    const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, this.exits.length - 1));
    this.options.log(
      `${this.options.name} exited (code ${code ?? signal}); restarting it${delay > 1000 ? ` in ${delay / 1000} s` : ''}`,
    );
    setTimeout(() => {
      if (!this.stopping) this.start();
    }, delay).unref();
  }

  /** Asks the health every few seconds; kills the process once it has not answered for too long. */
  watch(child) {
    const { livenessTimeoutMs, startGraceMs, healthUrl, name, log } = this.options;
    const every = Math.max(200, Math.min(5_000, Math.floor(livenessTimeoutMs / 4)));
    const tick = async () => {
      if (this.stopping || this.child !== child || child.exitCode !== null || child.signalCode !== null)
        return;
      try {
        await fetch(healthUrl, { signal: AbortSignal.timeout(every) });
        this.lastAnswerAt = Date.now();
        this.everAnswered = true;
      } catch {
        // no answer this time
      }
      if (this.child !== child || this.stopping) return;
      const now = Date.now();
      const silentFor = now - (this.lastAnswerAt ?? this.startedAt);
      const allowed =
        this.lastAnswerAt === null ? Math.max(startGraceMs, livenessTimeoutMs) : livenessTimeoutMs;
      if (silentFor > allowed) {
        log(
          `${name} has not answered ${healthUrl} for ${Math.round(silentFor / 1000)} s; killing it (SIGKILL) to restart it`,
        );
        child.kill('SIGKILL');
        return;
      }
      this.timer = setTimeout(tick, every);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, every);
    this.timer.unref();
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop() {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

module.exports = { Supervisor };

import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { FileToParse, ParsedFile } from './parse-file';

/** What one file's parsing may take: a process of its own, this much heap and this much time. */
export type ParseLimits = Readonly<{ heapMb: number; timeMs: number }>;

export const PARSE_LIMITS: ParseLimits = { heapMb: 512, timeMs: 60_000 };

/** A file its parser refused or could not finish: the job fails with this code and message. */
export class FileRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

type Answer = { ok: true; parsed: ParsedFile } | { ok: false; code: string; message: string };

const SCRIPT = path.join(__dirname, 'parsing-process.cjs');

/** A parsing process, with the end of what it wrote to stderr (V8 says "heap out of memory" there). */
type Parser = { child: ChildProcess; stderr: () => string };

// One process kept started and idle (it takes ~0.3 s to load the parsers), per heap limit.
const standby = new Map<number, Parser>();

function startParser(heapMb: number): Parser {
  const child = fork(SCRIPT, [], {
    execArgv: [`--max-old-space-size=${heapMb}`],
    // Lines cross back as structured clones, not JSON.
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4096)));
  // An idle parser keeps no one waiting: not the service's exit, not its event loop.
  child.on('error', () => undefined);
  holdOpen(child, false);
  return { child, stderr: () => tail };
}

/** Whether the service waits for the parser: the process, its channel and its stderr pipe. */
function holdOpen(child: ChildProcess, hold: boolean): void {
  const handles = [
    child,
    child.channel,
    child.stderr as (Readable & { ref?(): void; unref?(): void }) | null,
  ];
  for (const handle of handles) {
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** The idle parser for these limits (a new one when there is none), and another started to wait. */
function takeParser(heapMb: number): Parser {
  const ready = standby.get(heapMb);
  standby.delete(heapMb);
  const parser =
    ready && ready.child.exitCode === null && ready.child.connected ? ready : startParser(heapMb);
  standby.set(heapMb, startParser(heapMb));
  holdOpen(parser.child, true);
  return parser;
}

/** Starts the idle parser now, so the first import after a start does not wait for it either. */
export function prepareParsing(limits: ParseLimits = PARSE_LIMITS): void {
  if (!standby.has(limits.heapMb)) standby.set(limits.heapMb, startParser(limits.heapMb));
}

/**
 * Parses a file in a process of its own, so a hostile file (a zip bomb, a pathological XML)
 * costs that process and that job only: never the service's event loop, heap or life. (A worker
 * thread was not enough: V8 can abort the whole process when a thread runs out of heap while
 * compiling — seen here; ADR 0009.) A file that needs more heap or time than its limits fails
 * with payload_too_large.
 */
export function parseIsolated(file: FileToParse, limits: ParseLimits = PARSE_LIMITS): Promise<ParsedFile> {
  return new Promise((resolve, reject) => {
    const { child, stderr } = takeParser(limits.heapMb);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      outcome();
    };
    const tooLarge = (message: string) =>
      new FileRefusedError('payload_too_large', `${message}; split it into several imports`);
    const timer = setTimeout(
      () => settle(() => reject(tooLarge(`reading the file took longer than ${limits.timeMs / 1000} s`))),
      limits.timeMs,
    );
    child.once('message', (answer: Answer) =>
      settle(() =>
        answer.ok ? resolve(answer.parsed) : reject(new FileRefusedError(answer.code, answer.message)),
      ),
    );
    child.once('exit', (code, signal) =>
      settle(() =>
        reject(
          /heap out of memory|Reached heap limit/.test(stderr())
            ? tooLarge(`reading the file needed more than ${limits.heapMb} MiB`)
            : new Error(`the parsing process stopped (${signal ?? `exit code ${code}`}) before it answered`),
        ),
      ),
    );
    child.send(file, (error) => {
      if (error) settle(() => reject(error));
    });
  });
}

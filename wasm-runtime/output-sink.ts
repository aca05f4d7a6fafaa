// Where a worker's program output goes: the shared output ring (parallel mode, output-ring.ts),
// or messages to the coordinator (sequential mode, where no memory is shared with it).

import type { WorkerMessage } from "./protocol.js";

export interface OutputSink {
  /** Appends bytes; `close` lets nothing follow them. False once output is closed (after the panic line, or after main returned). */
  write(fd: number, bytes: Uint8Array, close?: boolean): boolean;
}

export class MessageSink implements OutputSink {
  private closed = false;
  constructor(
    private readonly post: (message: WorkerMessage) => void,
    private readonly runId: number,
  ) {}
  write(fd: number, bytes: Uint8Array, close = false): boolean {
    if (this.closed) return false;
    if (bytes.length > 0) this.post({ type: "output", runId: this.runId, fd: fd === 2 ? 2 : 1, bytes });
    if (close) this.closed = true;
    return true;
  }
}

import { EventEmitter } from 'node:events';
import type { EngineEvent } from '../../../shared/api.js';

/** The engine's typed event stream: UI (IPC or SSE), tray, notifications and logs subscribe. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every SSE client and window adds a listener; a warning at 10 would be noise.
    this.emitter.setMaxListeners(0);
  }

  emit(event: EngineEvent): void {
    this.emitter.emit('event', event);
  }

  /** Returns an unsubscribe function. A listener that throws never breaks the engine. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    const safe = (e: EngineEvent) => {
      try {
        listener(e);
      } catch {
        // Listener errors are the listener's problem.
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }
}

/** The part of pg-native (libpq bindings, no types published) the PostgreSQL journal uses: its sync calls (the store) and async ones (the intake's connection). */
declare module 'pg-native' {
  interface TypeParsers {
    getTypeParser(oid: number, format?: string): (value: string) => unknown;
  }
  interface LibPq {
    cmdTuples(): string;
    /** 0 idle, 1 active, 2 in a transaction, 3 in a failed transaction, 4 unknown (connection lost). */
    transactionStatus(): number;
  }
  class Client {
    constructor(config?: { types?: TypeParsers });
    readonly pq: LibPq;
    connectSync(params?: string): void;
    /** libpq connects on the thread pool: the event loop is not held meanwhile. */
    connect(params: string, cb: (err?: Error) => void): void;
    querySync(text: string, values?: (string | null)[]): Record<string, unknown>[];
    end(): void;
    /** Async: `cb` once connected (or refused), the event loop free meanwhile. */
    connect(params: string, cb: (err?: Error) => void): void;
    /** Async: `cb` once PostgreSQL answered ReadyForQuery (for one statement outside a transaction: after its commit). */
    query(text: string, values: (string | null)[], cb: (err: Error | undefined, rows: Record<string, unknown>[]) => void): void;
    query(text: string, cb: (err: Error | undefined, rows: Record<string, unknown>[]) => void): void;
    /** 'error': the socket failed while reading (the pending query's callback is never called). */
    on(event: 'error', listener: (err: Error) => void): this;
  }
  export default Client;
}

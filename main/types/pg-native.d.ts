/** The part of pg-native (libpq bindings, no types published) the PostgreSQL journal store uses. */
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
  }
  export default Client;
}

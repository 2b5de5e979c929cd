/** Balances per asset: free and locked, in exact 8-decimal fixed point. */
import { type Dec, ZERO } from './decimal.js';
import { errors } from './errors.js';

export class Ledger {
  private readonly free = new Map<string, Dec>();
  private readonly locked = new Map<string, Dec>();

  constructor(initial: Record<string, Dec> = {}) {
    for (const [asset, amount] of Object.entries(initial)) this.free.set(asset.toUpperCase(), amount);
  }

  assets(): string[] {
    return [...new Set([...this.free.keys(), ...this.locked.keys()])].sort();
  }

  get(asset: string): { free: Dec; locked: Dec } {
    const key = asset.toUpperCase();
    return { free: this.free.get(key) ?? ZERO, locked: this.locked.get(key) ?? ZERO };
  }

  /** Test hook (drift injection): overwrite the free amount, and the locked one when given. */
  set(asset: string, free: Dec, locked?: Dec): void {
    const key = asset.toUpperCase();
    this.free.set(key, free);
    if (locked !== undefined) this.locked.set(key, locked);
  }

  /** Moves free -> locked; Binance's -2010 when the free amount does not cover it. */
  lock(asset: string, amount: Dec): void {
    asset = asset.toUpperCase();
    const { free, locked } = this.get(asset);
    if (amount > free) throw errors.insufficientBalance();
    this.free.set(asset, free - amount);
    this.locked.set(asset, locked + amount);
  }

  /** Moves locked -> free (order canceled or finished with some lock left). */
  unlock(asset: string, amount: Dec): void {
    asset = asset.toUpperCase();
    if (amount <= ZERO) return;
    const { free, locked } = this.get(asset);
    this.locked.set(asset, locked - amount);
    this.free.set(asset, free + amount);
  }

  /** Spends from the locked amount (a fill of an order that locked it). */
  spendLocked(asset: string, amount: Dec): void {
    asset = asset.toUpperCase();
    const { locked } = this.get(asset);
    this.locked.set(asset, locked - amount);
  }

  /** Takes from free without a balance check (may go negative: only for fills worse than locked for). */
  debitFree(asset: string, amount: Dec): void {
    asset = asset.toUpperCase();
    const { free } = this.get(asset);
    this.free.set(asset, free - amount);
  }

  credit(asset: string, amount: Dec): void {
    asset = asset.toUpperCase();
    const { free } = this.get(asset);
    this.free.set(asset, free + amount);
  }
}

export { LedgerStore, StoreError, type StoredTx } from './ledger-store.js';

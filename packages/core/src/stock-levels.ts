import { OmnistockError, validationError } from "./errors.js";
import { availableAt, type Position } from "./position.js";

/**
 * The available units of every SKU at every location, as the allocation reads them: one
 * row of numbers per SKU, one number per location of the catalog.
 *
 * It is a plain mutable table so that the sync runtime can keep one up to date as events
 * arrive and recompute only what changed; the allocation functions only read it.
 *
 * @example
 * ```ts
 * const stock = new StockLevels(["main-street", "warehouse"]);
 * stock.set("MUG-RED", "main-street", 20);
 * stock.get("MUG-RED", "main-street"); // 20
 * ```
 */
export class StockLevels {
  /**
   * The most units the table holds for one SKU at one location (and the most a channel is
   * shown): 2,147,483,647, the largest 32-bit integer. A level above it is held at it.
   */
  static readonly MAX_AVAILABLE = 2_147_483_647;
  readonly #locationIndex: ReadonlyMap<string, number>;
  readonly #rows = new Map<string, Int32Array>();
  static readonly #empty = new Int32Array(0);

  /** @param locations - Location ids, in the catalog's order. */
  constructor(locations: readonly string[]) {
    this.#locationIndex = new Map(locations.map((id, i) => [id, i]));
  }

  /**
   * Builds the table from ledger positions at a time (reservations expire by then).
   * Positions at locations the catalog does not know are left out.
   */
  static fromPositions(
    locations: readonly string[],
    positions: Iterable<Position>,
    asOf: number,
  ): StockLevels {
    const stock = new StockLevels(locations);
    for (const position of positions) {
      if (stock.#locationIndex.has(position.locationId)) stock.setFromPosition(position, asOf);
    }
    return stock;
  }

  /** How many locations a row has. */
  get width(): number {
    return this.#locationIndex.size;
  }

  /**
   * Sets the available units of a SKU at a location. Negative values count as zero, and
   * values above {@link StockLevels.MAX_AVAILABLE} as that.
   * @throws {@link OmnistockError} `NOT_FOUND` for a location the table does not know;
   *   `VALIDATION` naming `available` when it is not a whole number (a fraction, NaN,
   *   an infinity). `details` name the SKU and location.
   */
  set(sku: string, locationId: string, available: number): void {
    const index = this.#locationIndex.get(locationId);
    if (index === undefined) {
      throw new OmnistockError("NOT_FOUND", `Unknown location "${locationId}" for SKU "${sku}"`, {
        details: { sku, locationId },
      });
    }
    if (!Number.isInteger(available)) {
      throw validationError(
        `stock level of ${sku} at ${locationId}`,
        [{ path: ["available"], message: `expected a whole number of units, got ${available}` }],
        { details: { sku, locationId, available } },
      );
    }
    let row = this.#rows.get(sku);
    if (row === undefined) {
      row = new Int32Array(this.#locationIndex.size);
      this.#rows.set(sku, row);
    }
    row[index] = Math.min(Math.max(available, 0), StockLevels.MAX_AVAILABLE);
  }

  /** Sets a SKU's units at a location from its ledger position at `asOf`. */
  setFromPosition(position: Position, asOf: number): void {
    this.set(position.sku, position.locationId, availableAt(position, asOf));
  }

  /** Available units of a SKU at a location; 0 when unknown. */
  get(sku: string, locationId: string): number {
    const index = this.#locationIndex.get(locationId);
    return index === undefined ? 0 : (this.#rows.get(sku)?.[index] ?? 0);
  }

  /** A SKU's row, by location index (empty when the SKU has no stock anywhere). */
  row(sku: string): Readonly<Int32Array> {
    return this.#rows.get(sku) ?? StockLevels.#empty;
  }

  /** The SKUs with a row. */
  skus(): IterableIterator<string> {
    return this.#rows.keys();
  }

  /** A deep copy. */
  clone(): StockLevels {
    const copy = new StockLevels([...this.#locationIndex.keys()]);
    for (const [sku, row] of this.#rows) copy.#rows.set(sku, row.slice());
    return copy;
  }
}

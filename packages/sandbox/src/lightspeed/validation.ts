import type { LightspeedProduct } from "./state.js";

const ADJUSTMENT_REASONS = {
  negative: new Set(["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION"]),
  positive: new Set(["STOCK_FOUND", "SAMPLE_FOR_SALE"]),
};

/** What is wrong with a `POST /api/register_sales` body, field by field (empty when valid). */
export function saleProblems(
  body: Record<string, unknown> | undefined,
  registers: ReadonlyMap<string, unknown>,
  products: ReadonlyMap<string, unknown>,
): string[] {
  if (body === undefined) return ["the body is not JSON"];
  const problems: string[] = [];
  if (typeof body.register_id !== "string" || !registers.has(body.register_id))
    problems.push("register_id: unknown register");
  if (typeof body.user_id !== "string") problems.push("user_id: required");
  if (typeof body.status !== "string") problems.push("status: required");
  const lines = body.register_sale_products;
  if (!Array.isArray(lines) || lines.length === 0)
    problems.push("register_sale_products: required");
  else {
    lines.forEach((l: Record<string, unknown>, i) => {
      if (typeof l.product_id !== "string" || !products.has(l.product_id))
        problems.push(`register_sale_products[${i}].product_id: unknown product`);
      for (const field of ["quantity", "price", "tax"]) {
        if (!Number.isFinite(Number(l[field])))
          problems.push(`register_sale_products[${i}].${field}: required`);
      }
      if (typeof l.tax_id !== "string")
        problems.push(`register_sale_products[${i}].tax_id: required`);
    });
  }
  return problems;
}

/** What is wrong with one item of a stock adjustment, field by field (empty when valid). */
export function adjustmentProblems(
  raw: unknown,
  i: number,
  products: ReadonlyMap<string, LightspeedProduct>,
  outlets: ReadonlyMap<string, unknown>,
): string[] {
  const item = raw as Record<string, unknown>;
  const at = `stock_adjustments[${i}]`;
  const problems: string[] = [];
  if (typeof item?.product_id !== "string" || !products.has(item.product_id))
    problems.push(`${at}.product_id: unknown product`);
  if (typeof item?.outlet_id !== "string" || !outlets.has(item.outlet_id))
    problems.push(`${at}.outlet_id: unknown outlet`);
  const quantity = item?.quantity;
  if (
    typeof quantity !== "string" ||
    quantity.length > 32 ||
    !/^-?\d+$/.test(quantity) ||
    Number(quantity) === 0
  ) {
    problems.push(`${at}.quantity: a non-zero whole number as a string`);
  }
  const reason = item?.reason;
  const sign = Math.sign(Number(quantity));
  if (typeof reason !== "string") problems.push(`${at}.reason: required`);
  else if (reason !== "CUSTOM") {
    const allowed = sign < 0 ? ADJUSTMENT_REASONS.negative : ADJUSTMENT_REASONS.positive;
    if (!allowed.has(reason))
      problems.push(
        `${at}.reason: "${reason}" does not fit a ${sign < 0 ? "negative" : "positive"} quantity`,
      );
  }
  return problems;
}

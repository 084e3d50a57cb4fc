export * from "./trading-day.js";

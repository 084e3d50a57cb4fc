import { defineConfig } from "tsup";
import base from "../../tsup.config.base.js";

// `sqlite` exists only as `node:sqlite`: keep the protocol that tsup strips by default.
export default defineConfig({ ...base, removeNodeProtocol: false });

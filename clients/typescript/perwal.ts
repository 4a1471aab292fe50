// A typed client of the perwal decision API: openapi-fetch over the types
// openapi-typescript generates from server/openapi.json (schema.d.ts, made by
// `npm run generate`). Paths, parameters, bodies and answers are checked by tsc.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type Query = components["schemas"]["Query"];
export type Decision = components["schemas"]["Decision"];
export type AuditDecision = components["schemas"]["AuditDecision"];
export type LoggedDecision = components["schemas"]["LoggedDecision"];
export type Org = components["schemas"]["Org"];
export type OrgMeta = components["schemas"]["OrgMeta"];
export type ApiError = components["schemas"]["Error"];

export interface Options {
  /** e.g. http://127.0.0.1:8181 */
  baseUrl: string;
  /** A bearer token of the server (uploads need scope write-org, the decision log read-log). */
  token?: string;
}

export function perwalClient(options: Options): Client<paths> {
  const client = createClient<paths>({ baseUrl: options.baseUrl });
  if (options.token) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${options.token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** An error body as an exception: its code, status and first message. */
export class PerwalError extends Error {
  constructor(readonly body: ApiError) {
    super(`${body.status} ${body.error}: ${body.message}`);
  }
}

/** The data of an answer, or the server's error body thrown as a PerwalError. */
export function unwrap<T>(answer: { data?: T; error?: ApiError | unknown; response: Response }): T {
  if (answer.data !== undefined) return answer.data;
  const body = answer.error as ApiError | undefined;
  if (body && typeof body === "object" && "error" in body) throw new PerwalError(body);
  throw new Error(`HTTP ${answer.response.status} without an error body`);
}

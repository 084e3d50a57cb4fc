import type { Sandbox } from "@omnistock/sandbox";
import { type AmazonClientOptions, createAmazonClient } from "../src/index.js";

/** A client of the sandbox's fake SP-API, retrying quickly. */
export function sandboxClient(
  sandbox: Sandbox,
  http: AmazonClientOptions["http"] = {},
  credentials: Partial<AmazonClientOptions["credentials"]> = {},
) {
  const amazon = sandbox.amazon!;
  return createAmazonClient({
    baseUrl: amazon.url,
    tokenUrl: `${amazon.url}/auth/o2/token`,
    credentials: {
      clientId: amazon.credentials.clientId,
      clientSecret: amazon.credentials.clientSecret,
      refreshToken: amazon.credentials.refreshToken,
      ...credentials,
    },
    http: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 20 }, ...http },
  });
}

/** A `fetch` that answers every request with one JSON body. */
export function answering(body: unknown, status = 200): typeof fetch {
  return async (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const payload = url.endsWith("/auth/o2/token")
      ? { access_token: "Atza|stub", token_type: "bearer", expires_in: 3600 }
      : body;
    return new Response(JSON.stringify(payload), {
      status: url.endsWith("/auth/o2/token") ? 200 : status,
      headers: { "content-type": "application/json" },
    });
  };
}

/** An `ORDER_CHANGE` notification body of one order, its lines as given. */
export function orderChangeNotification(
  orderId: string,
  items: readonly Record<string, unknown>[],
  notificationId = "n-1",
): Record<string, unknown> {
  return {
    NotificationVersion: "1.0",
    NotificationType: "ORDER_CHANGE",
    PayloadVersion: "1.0",
    EventTime: "2026-11-22T09:00:00.000Z",
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: "OrderLevel",
        SellerId: "A2SANDBOXSELLER",
        AmazonOrderId: orderId,
        OrderChangeType: "OrderStatusChange",
        OrderChangeTrigger: {
          TimeOfOrderChange: "2026-11-22T09:00:00.000Z",
          ChangeReason: "Order status changed",
        },
        Summary: {
          MarketplaceId: "ATVPDKIKX0DER",
          OrderStatus: "Unshipped",
          PurchaseDate: "2026-11-22T08:59:00.000Z",
          DestinationPostalCode: "98101",
          FulfillmentType: "MFN",
          OrderType: "StandardOrder",
          OrderItems: items,
        },
      },
    },
    NotificationMetadata: {
      ApplicationId: "app",
      SubscriptionId: "sub",
      PublishTime: "2026-11-22T09:00:00.000Z",
      NotificationId: notificationId,
    },
  };
}

/** A `LISTINGS_ITEM_MFN_QUANTITY_CHANGE` notification body. */
export function mfnQuantityNotification(
  quantity: unknown,
  sku = "MUG-RED-01",
): Record<string, unknown> {
  return {
    NotificationVersion: "1.0",
    NotificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    PayloadVersion: "1.0",
    EventTime: "2026-11-22T09:00:00.000Z",
    Payload: {
      SellerId: "A2SANDBOXSELLER",
      FulfillmentChannelCode: "DEFAULT",
      Sku: sku,
      Quantity: quantity,
    },
    NotificationMetadata: {
      ApplicationId: "app",
      SubscriptionId: "sub",
      PublishTime: "2026-11-22T09:00:00.000Z",
      NotificationId: "n-42",
    },
  };
}

/** Receiver options for the sandbox's unsigned notifications, with the warning kept quiet. */
export const UNSIGNED = { allowUnsigned: true, onWarning: () => {} } as const;

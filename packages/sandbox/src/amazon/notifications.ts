import type { Clock, DeliverWebhook } from "../common/types.js";
import type { AmazonOrder } from "./state.js";

/** ORDER_CHANGE notifications, posted as an integrator's SQS-to-HTTP bridge would. */
export interface AmazonNotifications {
  subscribe(url: string): void;
  /** Sends an order's ORDER_CHANGE to every subscriber. */
  notify(order: AmazonOrder): void;
  /** Bodies kept when there is no `deliver`. */
  readonly sent: readonly string[];
}

/** What {@link createAmazonNotifications} needs. */
export interface AmazonNotificationsOptions {
  readonly clock: Clock;
  readonly token: () => string;
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly clientId: string;
  readonly deliver: DeliverWebhook | undefined;
}

/** Creates the notification sender. */
export function createAmazonNotifications(
  options: AmazonNotificationsOptions,
): AmazonNotifications {
  const { clock, token, sellerId, marketplaceId, clientId, deliver } = options;
  const subscribers: string[] = [];
  const sent: string[] = [];
  return {
    subscribe(url) {
      subscribers.push(url);
    },
    notify(order) {
      const body = JSON.stringify({
        NotificationVersion: "1.0",
        NotificationType: "ORDER_CHANGE",
        PayloadVersion: "1.0",
        EventTime: new Date(clock()).toISOString(),
        Payload: {
          OrderChangeNotification: {
            NotificationLevel: "OrderLevel",
            SellerId: sellerId,
            AmazonOrderId: order.AmazonOrderId,
            OrderChangeType: "OrderStatusChange",
            OrderChangeTrigger: {
              TimeOfOrderChange: order.LastUpdateDate,
              ChangeReason: "Order status changed",
            },
            Summary: {
              MarketplaceId: marketplaceId,
              OrderStatus: order.OrderStatus,
              PurchaseDate: order.PurchaseDate,
              DestinationPostalCode: "98101",
              FulfillmentType: order.FulfillmentChannel,
              OrderType: "StandardOrder",
              NumberOfItemsShipped: 0,
              NumberOfItemsUnshipped: order.items.reduce((s, i) => s + i.QuantityOrdered, 0),
              OrderItems: order.items.map((i) => ({
                OrderItemId: i.OrderItemId,
                SellerSKU: i.SellerSKU,
                SupplySourceId: null,
                OrderItemStatus: "Unshipped",
                Quantity: i.QuantityOrdered,
                QuantityShipped: 0,
              })),
            },
          },
        },
        NotificationMetadata: {
          ApplicationId: clientId,
          SubscriptionId: "sandbox-subscription",
          PublishTime: new Date(clock()).toISOString(),
          NotificationId: `${token()}-${token()}`,
        },
      });
      for (const url of subscribers) {
        if (deliver === undefined) sent.push(body);
        else
          deliver({
            id: JSON.parse(body).NotificationMetadata.NotificationId,
            topic: "ORDER_CHANGE",
            url,
            body,
            headers: { "content-type": "application/json" },
          });
      }
    },
    sent,
  };
}

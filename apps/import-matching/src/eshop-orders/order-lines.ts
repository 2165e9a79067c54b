import type { PlannedLine } from '../matching/import-line';
import { notImported } from '../matching/import-line';
import type { MatchingIndex } from '../matching/matching-index';
import { EshopOrder, matchEshopOrder, MatchingSettings } from './match-eshop-order';

/** E-shop orders: the same line is the same `orderId`. */
export function planOrders(orders: readonly EshopOrder[], settings: MatchingSettings): PlannedLine[] {
  return orders.map((order) => {
    const customer = order.customer;
    return {
      ref: order.orderId,
      claim: order.orderId,
      name: customer.company?.trim() || `${customer.firstName} ${customer.lastName}`,
      operation: { operationId: `eshop:${order.orderId}`, kind: 'eshop_order', ref: order.orderId },
      details: null,
      decide: (index: MatchingIndex) => matchEshopOrder(index, order, settings),
      event: (result, number, importId) =>
        result.clientId && (result.outcome === 'matched' || result.outcome === 'created')
          ? {
              type: 'OrderMatched',
              data: {
                importId,
                line: number,
                orderId: order.orderId,
                clientId: result.clientId,
                outcome: result.outcome,
                matchedBy: result.matchedBy,
                total: order.total ?? null,
                currency: order.currency ?? null,
                date: order.date ?? null,
              },
            }
          : {
              type: 'OrderSkipped',
              data: { importId, line: number, orderId: order.orderId, ...notImported(result) },
            },
    };
  });
}

import type { ReviewRecord } from '@clientbook/contracts';
import { checkFields, FieldSpec, refuseIfAny, text, whole } from './field-rules';

export const MAX_REVIEW = 5_000;

/** A review as the relationship holds it: its record, when last changed, its version. */
export type Review = ReviewRecord & { updatedAt: string; version: number; originalClientId?: string };

const REVIEW_FIELDS: FieldSpec = {
  text: { rule: text(MAX_REVIEW), required: true },
  rating: { rule: whole(1, 5) },
};

/** A review's fields checked (every wrong one named); `partial` for a change (null clears the rating). */
export function checkReviewFields(
  body: Readonly<Record<string, unknown>>,
  partial: boolean,
): { text?: string; rating?: number | null } {
  const { fields, errors } = checkFields(REVIEW_FIELDS, body, {
    partial,
    unknown: 'a review has no such field',
  });
  if (partial && body.text === null) errors.push({ field: 'text', message: 'a review keeps its text' });
  refuseIfAny(errors);
  return fields as { text?: string; rating?: number | null };
}

/** The average rating of the reviews that have one (one decimal), and how many have one. */
export function ratingOf(reviews: readonly Review[]): { average: number | null; count: number } {
  const rated = reviews.flatMap((r) => (r.rating === null ? [] : [r.rating]));
  if (rated.length === 0) return { average: null, count: 0 };
  const sum = rated.reduce((a, b) => a + b, 0);
  return { average: Math.round((sum / rated.length) * 10) / 10, count: rated.length };
}

import { z } from 'zod';

/**
 * What a product may be called: the name is its key in the catalogue, in model files and in
 * folder names, so it stays to lower-case letters, digits, '_' and '-' (its display name is free).
 * The API schema and the catalogue both apply this one rule, so the API refuses up front (as an
 * invalid request) every name the catalogue would refuse.
 */
export const PRODUCT_NAME_RULE = "A product name is 1-64 lower-case letters, digits, '_' or '-', starting with a letter or digit";

const PRODUCT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isAcceptableProductName(name: string): boolean {
  return PRODUCT_NAME_PATTERN.test(name);
}

/** A product name as the API receives it: surrounding spaces are dropped before the rule applies. */
export const productNameSchema = z.string().trim().refine(isAcceptableProductName, PRODUCT_NAME_RULE);

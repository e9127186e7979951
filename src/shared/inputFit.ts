import { z } from 'zod';

/**
 * How an image becomes the backbone's square input (docs/method.md, Token maps): stretched to the
 * square, or scaled whole into it with grey bars beside it (letterbox), which keeps the part's
 * proportions for tall and wide parts.
 */
export const INPUT_FITS = ['stretch', 'letterbox'] as const;
export const inputFitSchema = z.enum(INPUT_FITS);
export type InputFit = z.infer<typeof inputFitSchema>;

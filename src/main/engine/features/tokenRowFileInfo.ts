/** Shape of a file of token maps: `count` rows of tokens x dim float16 values, nothing else. */
export interface TokenRowFileInfo {
  path: string;
  count: number;
  tokens: number;
  dim: number;
}

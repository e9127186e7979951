export declare const MIN_NODE: [number, number];
export declare const ELECTRON_HEADERS_URL: string;
export declare function missingPrerequisites(facts: {
  nodeVersion: string;
  electronBinary: boolean;
  headersReachable: boolean;
  tools: Record<string, boolean>;
}): string[];

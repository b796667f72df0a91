// Types of platform/node-runtime.mjs (plain JavaScript: it runs on the system's Node before any install).
export declare const PINNED_NODE_VERSION: string;
export declare const PINNED_NODE_INTEGRITY: Record<string, string>;
export interface PinnedNode {
  node: string;
  binDir: string;
  installed: boolean;
}
export declare function pinnedNodeHome(toolsDir: string): string;
export declare function nodeVersionOf(node: string): string;
export declare function ensurePinnedNode(o: { toolsDir: string; log?: (msg: string) => void; env?: NodeJS.ProcessEnv }): PinnedNode;
export declare function installPinnedNode(o: { toolsDir: string; log?: (msg: string) => void; integrity?: string; npm?: string }): void;
export declare function pinnedNodeEnv(o: { node: string; binDir: string; root: string; env?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv;

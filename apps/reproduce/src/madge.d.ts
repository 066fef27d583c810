// madge ships no type declarations; this is the part of its API that source-layout.test.ts uses.
declare module "madge" {
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: { ts?: { skipTypeImports?: boolean } };
  }
  interface MadgeResult {
    /** Every import cycle, each as the list of files (relative to the scanned folder) around it. */
    circular(): string[][];
  }
  function madge(path: string, config?: MadgeConfig): Promise<MadgeResult>;
  export default madge;
}

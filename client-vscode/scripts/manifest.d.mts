// Types of manifest.mjs, for the tests that import it.
export declare const MACHINE_SCOPED: string[];
export declare const CLIENT_PROPERTIES: Record<string, Record<string, unknown>>;
export declare function projectSchema(schema: Record<string, unknown>): Record<string, unknown>;
export declare function computeProperties(settingsSchema: { properties?: Record<string, Record<string, unknown>> }): Record<string, Record<string, unknown>>;
export declare function computeManifest(manifestText: string, settingsSchema: { properties?: Record<string, Record<string, unknown>> }): string;

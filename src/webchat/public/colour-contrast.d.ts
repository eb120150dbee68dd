// Types for colour-contrast.js (plain JS served to the chat page), so the server's TypeScript uses
// the same WCAG rules as the page instead of a copy.
export const AA_TEXT: number;
export const DARK_TEXT: string;
export function luminance(hex: string): number;
export function contrastRatio(a: string, b: string): number;
/** The lightest shade of `hex` reaching AA against the light colour `other` (white by default). */
export function darkerShade(hex: string, other?: string): string;
export function textOn(hex: string): string;

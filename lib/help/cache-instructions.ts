import type { BrowserId } from '@/lib/help/detect-browser';

export type CacheInstructions = {
  id: Exclude<BrowserId, 'other'>;
  name: string;
  steps: string[];
  note?: string;
};

/**
 * Step 5 of the guide, per browser, in the order shown when no browser is detected. Plain text,
 * so the page prerenders them and they print; the live check only reorders and folds them.
 */
export const CACHE_INSTRUCTIONS: CacheInstructions[] = [
  {
    id: 'chrome',
    name: 'Google Chrome (Windows, Mac, Linux)',
    steps: [
      'Press Ctrl + Shift + Delete (on a Mac: Command + Shift + Delete). Or open the menu ⋮ and choose "Delete browsing data".',
      'Set "Time range" to "All time".',
      'Tick "Cached images and files". You can untick the other boxes.',
      'Select "Delete data", then open CareNotes again.',
    ],
  },
  {
    id: 'edge',
    name: 'Microsoft Edge',
    steps: [
      'Press Ctrl + Shift + Delete. Or open the menu … then Settings, "Privacy, search, and services", and "Choose what to clear".',
      'Set "Time range" to "All time".',
      'Tick "Cached images and files". You can untick the other boxes.',
      'Select "Clear now", then open CareNotes again.',
    ],
  },
  {
    id: 'firefox',
    name: 'Mozilla Firefox',
    steps: [
      'Press Ctrl + Shift + Delete (on a Mac: Command + Shift + Delete). Or open the menu ≡, then Settings, "Privacy & Security", and "Clear Data".',
      'Set "When" or "Time range to clear" to "Everything".',
      'Tick "Temporary cached files and pages" (called "Cache" in older versions). You can untick the other boxes.',
      'Select "Clear", then open CareNotes again.',
    ],
  },
  {
    id: 'safari',
    name: 'Safari on a Mac',
    steps: [
      'In the Safari menu, choose Settings, then Advanced, and tick "Show features for web developers" (older versions: "Show Develop menu in menu bar").',
      'In the Develop menu, choose "Empty Caches" (or press Option + Command + E).',
      'Open CareNotes again.',
    ],
  },
  {
    id: 'ios',
    name: 'iPhone or iPad',
    steps: [
      'Open the Settings app, then Apps, then Safari (on older versions: Settings, then Safari).',
      'Tap "Clear History and Website Data" and confirm.',
      'Open CareNotes again.',
    ],
    note: 'This also clears your Safari history. In Chrome on an iPhone, open the menu …, then "Delete Browsing Data", and tick only "Cached Images and Files".',
  },
  {
    id: 'android',
    name: 'Android phone or tablet',
    steps: [
      'In Chrome, open the menu ⋮ and choose "Delete browsing data" (or History, then "Delete browsing data").',
      'Set "Time range" to "All time".',
      'Tick "Cached images and files". You can untick the other boxes.',
      'Tap "Delete data", then open CareNotes again.',
    ],
    note: 'In Samsung Internet: open the menu ≡, then Settings, "Personal browsing data", and "Delete browsing data".',
  },
];

/** The detected browser's instructions first; the others keep their order. */
export function orderForBrowser(all: CacheInstructions[], detected: BrowserId | null): {
  first: CacheInstructions | null;
  others: CacheInstructions[];
} {
  const first = all.find((entry) => entry.id === detected) ?? null;
  return { first, others: all.filter((entry) => entry !== first) };
}

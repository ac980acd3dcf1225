/**
 * The config file's schema (decksmith.config.yaml, or the `decksmith` key in package.json) and
 * the JSON Schemas published in schema/ for editors. The config holds defaults for command-line
 * options only: each key is a long flag's name in camelCase, and a flag given on the command line
 * always wins over it.
 */
import * as z from 'zod';
import { frontMatterSchema } from '../../parse/config.js';
import { HANDOUT_COUNTS, PDF_SIZES } from '../../types.js';

const path = (description: string) => z.string().min(1, 'an empty path').meta({ description });
const handout = z.literal(HANDOUT_COUNTS).meta({ description: 'Slides per handout page: 1, 2, 3, 4 or 6.' });

/** Keys every command that has the flag reads (build, pdf, serve, check). */
const shared = {
  theme: z.string().min(1, 'an empty theme').meta({
    description:
      'Theme for every deck, over its front matter (--theme): a theme name, or a path to a theme folder or .css file relative to this file.',
  }),
  out: path(
    'Output folder, relative to this file (--out of build; decksmith pdf writes <out>/<deck>.pdf). Default: output, in the working directory.',
  ),
  root: path("Folder every deck's images and css: files must be inside, relative to this file (--root). Default: each deck's folder."),
  templates: path('Folder of template overrides, relative to this file (--templates).'),
  html: z.boolean().meta({ description: 'Keep raw HTML in the Markdown as written (--html); only for decks you trust. Default: false.' }),
  fit: z.boolean().meta({
    description:
      'Shrink every slide whose content overflows, code first, down to half size (--fit), as front matter fit: true does. Default: false.',
  }),
};

const sections = {
  build: z
    .strictObject({
      pdf: z.boolean().meta({ description: 'Also export <deck>.pdf (--pdf). Default: false.' }),
      handout: handout.meta({ description: 'Also export <deck>-handout.pdf with this many slides a page (--handout).' }),
      singleFile: z.boolean().meta({ description: 'Also write <deck>.html with everything inlined (--single-file). Default: false.' }),
      strict: z.boolean().meta({ description: 'Treat warnings as errors (--strict). Default: false.' }),
    })
    .partial()
    .meta({ description: 'Defaults for decksmith build.' }),
  pdf: z
    .strictObject({
      notes: z
        .enum(['none', 'page', 'below'])
        .meta({ description: 'Speaker notes: none, a page after each slide, or below each slide (--notes). Default: none.' }),
      fragments: z
        .enum(['final', 'steps'])
        .meta({ description: 'Final state only, or a page per fragment step (--fragments). Default: final.' }),
      size: z.enum(PDF_SIZES).meta({ description: 'Page size (--size). Default: the deck size; handouts A4.' }),
      handout,
      timeout: z
        .number()
        .positive('a number of seconds above 0')
        .meta({ description: 'Give up after this many seconds (--timeout). Default: 120.' }),
    })
    .partial()
    .meta({ description: 'Defaults for decksmith pdf.' }),
  serve: z
    .strictObject({
      port: z.int().min(0).max(65535).meta({ description: 'Port; 0 picks a free one (--port). Default: 8000.' }),
      host: z.string().min(1).meta({ description: 'Address to listen on (--host). Default: 127.0.0.1.' }),
      open: z.boolean().meta({ description: 'Open the deck in your browser (--open). Default: false.' }),
    })
    .partial()
    .meta({ description: 'Defaults for decksmith serve.' }),
};

export const configFileSchema = z
  .strictObject({ ...shared, ...sections })
  .partial()
  .meta({
    title: 'decksmith config file',
    description:
      'Defaults for decksmith command-line options (decksmith.config.yaml, or the "decksmith" key in package.json). A flag on the command line wins over this file.',
  });

export type ConfigFile = z.infer<typeof configFileSchema>;
/** Commands with a section of their own; other commands read only the shared keys. */
export type ConfigSection = keyof typeof sections;
export const CONFIG_SECTIONS = Object.keys(sections) as readonly ConfigSection[];
/** Keys valid at the top level. */
export const SHARED_CONFIG_KEYS: readonly string[] = Object.keys(shared);
/** Keys valid inside each section. */
export const SECTION_KEYS: Readonly<Record<ConfigSection, readonly string[]>> = {
  build: Object.keys(sections.build.shape),
  pdf: Object.keys(sections.pdf.shape),
  serve: Object.keys(sections.serve.shape),
};

/** Front-matter key descriptions for editors; the types and defaults come from the zod schema. */
const FRONT_MATTER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  title: "Deck title: <title>, title slide, PDF metadata. Default: the first slide's title.",
  subtitle: 'Shown under the title on the title slide.',
  author: 'Title slide byline, <meta name="author">, PDF Author.',
  date: 'Free text shown on the title slide.',
  description: '<meta name="description"> and PDF Subject.',
  keywords: '<meta name="keywords"> and PDF Keywords: a list or a comma-separated string.',
  lang: 'Document language (BCP 47), e.g. "en" or "pt-BR".',
  theme:
    'A built-in theme (paper, midnight, editorial, contrast, handout), a reveal.js theme (black, white, …), or a path to a theme folder or .css file relative to the deck.',
  split: 'Also start a slide at every heading of this level or higher.',
  size: 'Slide aspect ratio: 16:9 is 1280×720, 4:3 is 1024×768.',
  transition: 'reveal.js transition between slides.',
  highlightStyle: 'highlight.js style for code, e.g. "github-dark". Default: the theme\'s choice.',
  themeVars: 'Theme variables without the leading --ds-, e.g. accent: "#0a84ff".',
  css: 'Extra stylesheets, relative to the deck.',
  footer: 'Text shown at the foot of every slide.',
  slideNumber: 'Show slide numbers.',
  fit: 'Shrink every slide whose content overflows: code blocks first, then the whole slide, down to half size. <!-- fit --> on a slide shrinks it as far as it takes.',
  reveal: 'Extra Reveal.initialize options (scalars only).',
  dialect:
    "The tool the deck was written for (decksmith, marp, reveal-md, slidev, remark, deckset, pandoc). Default: detected from the deck's markers, else decksmith.",
};

type JsonSchema = Record<string, unknown>;

/** JSON Schema draft-07, which VS Code's YAML and JSON language services support fully. */
function toJsonSchema(schema: z.core.$ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    // What the author writes, before defaults and transforms.
    io: 'input',
    target: 'draft-7',
    // YAML's core schema never yields a date, so a date in front matter is written as a string.
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') ctx.jsonSchema.type = 'string';
    },
  }) as JsonSchema;
}

function frontMatterJsonSchema(): JsonSchema {
  const schema = toJsonSchema(frontMatterSchema);
  const properties = schema.properties as Record<string, JsonSchema>;
  for (const [key, property] of Object.entries(properties)) {
    const description = FRONT_MATTER_DESCRIPTIONS[key];
    if (description !== undefined) property.description = description;
  }
  return {
    $schema: schema.$schema,
    title: 'decksmith front matter',
    description: 'The YAML between the two --- lines at the top of a decksmith deck.',
    ...schema,
    // decksmith warns about unknown keys (a did-you-mean); an editor flags them the same way.
    additionalProperties: false,
  };
}

/** The published schema files, by file name, as their exact text (2-space JSON, final newline). */
export function jsonSchemaFiles(): Record<string, string> {
  const text = (schema: JsonSchema) => `${JSON.stringify(schema, null, 2)}\n`;
  return {
    'front-matter.schema.json': text(frontMatterJsonSchema()),
    'config.schema.json': text(toJsonSchema(configFileSchema)),
  };
}

/** The keys the front-matter schema describes; a key without a description is a test failure. */
export const FRONT_MATTER_DESCRIBED_KEYS: readonly string[] = Object.keys(FRONT_MATTER_DESCRIPTIONS);

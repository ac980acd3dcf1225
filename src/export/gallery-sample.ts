/**
 * The sample talk `decksmith themes --preview` renders in every theme: one slide per layout, plus
 * code, a table and maths, and a Mermaid diagram on default slides, so a theme is judged on everything it must style.
 * Plain data; the preview command writes it to disk.
 */

/** Names of the sample's slides, in order; the preview names its PNGs after them. */
export const SAMPLE_SLIDES = ['title', 'default', 'section', 'compare', 'code', 'table', 'diagram', 'quote', 'image', 'closing'] as const;
export type SampleSlide = (typeof SAMPLE_SLIDES)[number];

export function sampleDeck(theme: string): string {
  return `---
title: Shipping models people trust
subtitle: What changes when a notebook becomes a product
author: Ada Example
date: 2026-03-14
theme: ${JSON.stringify(theme)}
slideNumber: true
footer: decksmith theme preview
---

<!-- layout: title -->
# Shipping models people trust

---

## Why this matters

- Most models never leave the notebook they were trained in
- The ones that do need **monitoring**, owners and a way back
- A model is a product: it has users, versions and \`SLOs\`
- Read more in the [runbook](https://example.org/runbook)

Note: Speaker notes go here.

---

# Part two: from experiment to service

---

<!-- layout: compare -->
## Two roles, one pipeline

### Data scientist

- Frames the question with stakeholders
- Explores data, builds the first model
- Explains what the numbers mean

### ML engineer

- Turns the model into a service
- Automates training and deployment
- Keeps latency and cost in check

---

## Serving a prediction

\`\`\`python
@app.post("/predict")
def predict(request: Features) -> Prediction:
    vector = encoder.transform(request.model_dump())
    score = model.predict_proba([vector])[0, 1]
    return Prediction(score=round(score, 3), version=MODEL_VERSION)
\`\`\`

Keep the encoder and the model in **one** versioned artifact.

---

## Where the time goes

| Stage | Share of effort | Owner |
|---|---:|---|
| Data cleaning | 40% | Data scientist |
| Modelling | 15% | Data scientist |
| Deployment | 25% | ML engineer |
| Monitoring | 20% | ML engineer |

A model is judged by $F_1 = \\frac{2PR}{P + R}$ before it ships.

---

## Who hands what to whom

\`\`\`mermaid
flowchart LR
  DS[Data scientist] -->|model and notebook| MLE[ML engineer]
  MLE -->|service and dashboards| OPS[On-call team]
  OPS -.->|drift report| DS
\`\`\`

---

<!-- layout: quote -->
> All models are wrong, but some are useful.

George E. P. Box

---

<!-- layout: image -->
## Latency after the rollout

![Bar chart of p95 latency per week](chart.svg)

p95 latency per week, in milliseconds

---

<!-- layout: closing -->
# Thank you

Questions? Slides and code at example.org/talk
`;
}

/** A neutral bar chart that reads on light and dark slides alike. */
export const SAMPLE_CHART_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 300" width="640" height="300">
  <g font-family="sans-serif" font-size="14" fill="#8a94a6">
    <line x1="50" y1="260" x2="620" y2="260" stroke="#8a94a6" stroke-width="2"/>
    <line x1="50" y1="20" x2="50" y2="260" stroke="#8a94a6" stroke-width="2"/>
    <text x="40" y="264" text-anchor="end">0</text>
    <text x="40" y="144" text-anchor="end">200</text>
    <text x="40" y="28" text-anchor="end">400</text>
  </g>
  <g>
    <rect x="80" y="40" width="60" height="220" rx="6" fill="#8a94a6"/>
    <rect x="170" y="70" width="60" height="190" rx="6" fill="#8a94a6"/>
    <rect x="260" y="95" width="60" height="165" rx="6" fill="#8a94a6"/>
    <rect x="350" y="150" width="60" height="110" rx="6" fill="#e4572e"/>
    <rect x="440" y="172" width="60" height="88" rx="6" fill="#e4572e"/>
    <rect x="530" y="180" width="60" height="80" rx="6" fill="#e4572e"/>
  </g>
  <g font-family="sans-serif" font-size="14" fill="#8a94a6" text-anchor="middle">
    <text x="110" y="282">W1</text><text x="200" y="282">W2</text><text x="290" y="282">W3</text>
    <text x="380" y="282">W4</text><text x="470" y="282">W5</text><text x="560" y="282">W6</text>
  </g>
</svg>
`;

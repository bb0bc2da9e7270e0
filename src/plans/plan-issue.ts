/** Record a plan's published issue in its front matter (`issue: URL`), keeping everything else. */
import { yaml } from '../core/yaml.ts';
import { splitFrontMatter } from './front-matter.ts';

/** Return `markdown` with the front matter's `issue` set to `url`; the body is untouched. */
export function setPlanIssue(markdown: string, url: string, file = 'plan'): string {
  splitFrontMatter(markdown, file); // validates the shape first, with the usual errors
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = lines.findIndex(
    (line, index) => index > 0 && (line.trim() === '---' || line.trim() === '...'),
  );
  const document = yaml().parseDocument(lines.slice(1, close).join('\n'));
  document.set('issue', url);
  const yamlText = document.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return ['---', yamlText, ...lines.slice(close)].join('\n');
}

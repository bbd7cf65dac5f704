/**
 * The standard option editors a Grafana host registers before plugins build their options
 * (text, number, radio, boolean), written here with @grafana/ui's inputs: a stand-in for
 * Grafana's own editors so that PanelOptionsEditorBuilder.addTextInput & co. resolve.
 */
import React from 'react';
import type { SelectableValue, StandardEditorProps, StandardEditorsRegistryItem } from '@grafana/data';
import { Input, RadioButtonGroup, Switch } from '@grafana/ui';

interface Settings {
  placeholder?: string;
  min?: number;
  max?: number;
  options?: Array<SelectableValue<unknown>>;
}
type Props<T> = StandardEditorProps<T, Settings>;

const TextEditor = ({ value, onChange, item }: Props<string>) => (
  <Input
    value={value ?? ''}
    placeholder={item.settings?.placeholder}
    onChange={(e) => onChange(e.currentTarget.value)}
  />
);

const NumberEditor = ({ value, onChange, item }: Props<number>) => (
  <Input
    type="number"
    value={value ?? ''}
    min={item.settings?.min}
    max={item.settings?.max}
    onChange={(e) => onChange(Number(e.currentTarget.value))}
  />
);

const RadioEditor = ({ value, onChange, item }: Props<unknown>) => (
  <RadioButtonGroup value={value} options={item.settings?.options ?? []} onChange={onChange} />
);

const BooleanEditor = ({ value, onChange }: Props<boolean>) => (
  <Switch value={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />
);

export const standardEditors = (): StandardEditorsRegistryItem[] =>
  [
    { id: 'text', name: 'Text', editor: TextEditor },
    { id: 'number', name: 'Number', editor: NumberEditor },
    { id: 'radio', name: 'Radio', editor: RadioEditor },
    { id: 'boolean', name: 'Boolean', editor: BooleanEditor },
  ] as StandardEditorsRegistryItem[];

// The toolkit ships no types; tests use only this much of it.
declare module 'jsonstat-toolkit' {
  type Category = { label: string; index: number };
  type Dimension = { id: string[]; label: string; role: string | null; Category(id: string | number): Category };
  type Dataset = {
    class: string;
    id: string[];
    size: number[];
    label: string | null;
    Dimension(id: string | number): Dimension;
    Data(coords: Record<string, string> | number[]): { value: number | null; status: string | null };
  };
  export default function JSONstat(input: unknown): Dataset;
}

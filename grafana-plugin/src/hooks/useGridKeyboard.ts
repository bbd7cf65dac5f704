import { useCallback, useState, type KeyboardEvent } from 'react';

export interface GridKeyboard {
  /** Index of the row that has the keyboard cursor, -1 when none. */
  activeIndex: number;
  setActiveIndex: (index: number) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}

/**
 * A keyboard cursor over a virtualized list: arrows, Page Up/Down, Home/End move it and
 * `scrollTo` brings the row into view. The focus stays on the grid; the active row is
 * announced through aria-activedescendant.
 */
export function useGridKeyboard(rowCount: number, pageSize: number, scrollTo: (index: number) => void): GridKeyboard {
  const [active, setActive] = useState(-1);
  const activeIndex = Math.min(active, rowCount - 1);

  const move = useCallback(
    (index: number) => {
      if (rowCount === 0) {
        return;
      }
      const next = Math.max(0, Math.min(rowCount - 1, index));
      setActive(next);
      scrollTo(next);
    },
    [rowCount, scrollTo]
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const from = activeIndex < 0 ? -1 : activeIndex;
      const page = Math.max(1, pageSize - 1);
      const moves: Record<string, () => number> = {
        ArrowDown: () => from + 1,
        ArrowUp: () => (from < 0 ? 0 : from - 1),
        PageDown: () => from + page,
        PageUp: () => (from < 0 ? 0 : from - page),
        Home: () => 0,
        End: () => rowCount - 1,
      };
      const target = moves[event.key];
      if (target) {
        event.preventDefault();
        move(target());
      } else if (event.key === 'Escape' && activeIndex >= 0) {
        setActive(-1);
      }
    },
    [activeIndex, pageSize, rowCount, move]
  );

  return { activeIndex, setActiveIndex: move, onKeyDown };
}

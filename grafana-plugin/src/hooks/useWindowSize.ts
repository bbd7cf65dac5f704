import { useEffect, useState } from 'react';

export interface Size {
  width: number;
  height: number;
}

const current = (): Size => ({ width: window.innerWidth, height: window.innerHeight });

/** The viewport size, for the full-page blotter. */
export function useWindowSize(): Size {
  const [size, setSize] = useState(current);
  useEffect(() => {
    const onResize = () => setSize(current());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

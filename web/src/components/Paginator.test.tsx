import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageLinks, Paginator, pageBlock } from './Paginator';

afterEach(cleanup);

describe('pageBlock', () => {
  it('shows the block of ten holding the page', () => {
    expect(pageBlock(1, 25, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pageBlock(10, 25, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pageBlock(11, 25, 10)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(pageBlock(23, 25, 10)).toEqual([21, 22, 23, 24, 25]);
  });

  it('clamps pages outside the range', () => {
    expect(pageBlock(99, 12, 10)).toEqual([11, 12]);
    expect(pageBlock(-3, 3, 10)).toEqual([1, 2, 3]);
    expect(pageBlock(1, 0, 10)).toEqual([1]);
  });
});

describe('Paginator', () => {
  it('renders nothing for a single page', () => {
    const { container } = render(<Paginator page={1} pages={1} onPage={() => undefined} />);
    expect(container.innerHTML).toBe('');
  });

  it('marks the current page and reports clicks', () => {
    const onPage = vi.fn();
    render(<Paginator page={3} pages={25} onPage={onPage} />);
    const current = screen.getByRole('button', { current: 'page' });
    expect(current.textContent).toBe('3');
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual([
      '‹ 이전', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '다음 ›',
    ]);
    fireEvent.click(screen.getByRole('button', { name: '7 페이지' }));
    expect(onPage).toHaveBeenCalledWith(7);
  });

  it('moves a block at a time and disables the ends', () => {
    const onPage = vi.fn();
    const { rerender } = render(<Paginator page={3} pages={25} onPage={onPage} />);
    expect((screen.getByRole('button', { name: /이전/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /다음/ }));
    expect(onPage).toHaveBeenLastCalledWith(11);
    rerender(<Paginator page={21} pages={25} onPage={onPage} />);
    expect((screen.getByRole('button', { name: /다음/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /이전/ }));
    expect(onPage).toHaveBeenLastCalledWith(20);
  });
});

describe('PageLinks (a block the server computed)', () => {
  it('shows the given block and jumps to the server’s previous/next block', () => {
    const onPage = vi.fn();
    render(<PageLinks numbers={[11, 12, 13]} current={12} prev={10} next={null} onPage={onPage} />);
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['‹ 이전', '11', '12', '13', '다음 ›']);
    expect(screen.getByRole('button', { current: 'page' }).textContent).toBe('12');
    expect((screen.getByRole('button', { name: /다음/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /이전/ }));
    expect(onPage).toHaveBeenCalledWith(10);
  });

  it('renders nothing for a lone page', () => {
    const { container } = render(<PageLinks numbers={[1]} current={1} prev={null} next={null} onPage={() => undefined} />);
    expect(container.innerHTML).toBe('');
  });
});

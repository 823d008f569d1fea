import { useEffect, useRef, useState } from 'react';
import { Image, theme } from 'antd';
import { AudioOutlined, PictureOutlined, VideoCameraOutlined } from '@ant-design/icons';
import type { Clip } from '../../../src-main/contract';
import type { ThumbnailCache } from './thumbnailCache';

export const THUMB_WIDTH = 64;
export const THUMB_HEIGHT = 36;

const KIND_ICON = {
  video: <VideoCameraOutlined />,
  audio: <AudioOutlined />,
  photo: <PictureOutlined />,
} as const;

/**
 * A clip's thumbnail, fetched only once the row scrolls into view and then kept in the cache;
 * audio, clips without one, and failures show the kind's icon.
 */
export function ClipThumbnail({ clip, cache }: { clip: Clip; cache: ThumbnailCache }) {
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  // What was fetched, and for which clip: a row that first showed a clip without a thumbnail
  // (still being made after the copies) fetches it once the clip says it has one.
  const [fetched, setFetched] = useState<{ id: number; url: string | null } | null>(null);
  const url: string | null | undefined = !clip.hasThumbnail
    ? null
    : fetched?.id === clip.id
      ? fetched.url
      : cache.peek(clip.id);

  useEffect(() => {
    if (url !== undefined || box.current === null) return;
    let live = true;
    const element = box.current;
    const id = clip.id;
    const fetchNow = () => {
      cache.get(id).then(
        (value) => {
          if (live) setFetched({ id, url: value });
        },
        () => {
          if (live) setFetched({ id, url: null });
        },
      );
    };
    if (typeof IntersectionObserver === 'undefined') {
      fetchNow();
      return () => {
        live = false;
      };
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        fetchNow();
      }
    });
    observer.observe(element);
    return () => {
      live = false;
      observer.disconnect();
    };
  }, [cache, clip.id, url]);

  return (
    <div
      ref={box}
      data-testid={`clip-thumb-${clip.id}`}
      data-loaded={typeof url === 'string' ? 'yes' : 'no'}
      style={{
        width: THUMB_WIDTH,
        height: THUMB_HEIGHT,
        borderRadius: 3,
        overflow: 'hidden',
        background: token.colorFillTertiary,
        color: token.colorTextTertiary,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        fontSize: 16,
      }}
    >
      {typeof url === 'string' ? (
        <Image
          src={url}
          alt=""
          width={THUMB_WIDTH}
          height={THUMB_HEIGHT}
          style={{ objectFit: 'cover', display: 'block' }}
          preview={{ mask: false }}
        />
      ) : (
        KIND_ICON[clip.kind]
      )}
    </div>
  );
}

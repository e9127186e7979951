import 'react';

/** Chromium's folder picker attribute, which React's typings do not list. */
declare module 'react' {
  interface InputHTMLAttributes<T> {
    webkitdirectory?: string;
  }
}

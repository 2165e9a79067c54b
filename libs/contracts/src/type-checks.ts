/** `true` when every property of T is `true`, else `false`. */
export type AllTrue<T extends Record<string, boolean>> = false extends T[keyof T] ? false : true;

/** Does not compile unless T is `true`: a check the type checker makes (schemas against their types). */
export type Assert<T extends true> = T;

//! Linked and Loaded trampolines: C calls them with the user data, which
//! leads back to the Rust closure. What C passes is checked against the
//! description first: a NULL where it promises a string, a negative count or
//! a NULL buffer with elements keeps the closure from running (C gets a
//! zeroed result and the call fails with `Error::CallbackNotRun`).

use crate::gen::{ident, Gen};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// A callback's arguments as a trampoline receives them from C and hands
/// them to the closure.
pub(crate) struct NativeArgs {
    /// `__aN: T`, in C order.
    pub(crate) raw_params: Vec<TokenStream>,
    /// Checks and conversions, before the closure is found.
    pub(crate) conv: Vec<TokenStream>,
    /// The closure's arguments.
    pub(crate) args: Vec<TokenStream>,
    /// The user-data parameter.
    pub(crate) user: Ident,
    /// The result at the C ABI.
    pub(crate) raw_ret: TokenStream,
    /// Appended to the closure's result to make the C one.
    pub(crate) to_raw: TokenStream,
}

/// `let a = expr` for a conversion that yields `Result<_, &'static str>`:
/// an error refuses the callback.
pub(crate) fn refusing(a: &Ident, expr: TokenStream) -> TokenStream {
    quote! {
        let #a = match #expr {
            ::core::result::Result::Ok(v) => v,
            // SAFETY: all-zero is a valid value of every callback result type.
            ::core::result::Result::Err(__why) => return unsafe { ::ffi_desc::rt::refused(__why) },
        };
    }
}

/// Whether the callback type is lent handles.
pub(crate) fn lends(cb: &CallbackDef) -> bool {
    cb.params.iter().any(|p| {
        matches!(
            p,
            CallbackParam::Handle { .. } | CallbackParam::Handles { .. }
        )
    })
}

/// `ffi_desc::rt::MAX_USER_DATA_FNS`, which this crate cannot name.
fn ffi_desc_max_user_data() -> usize {
    4
}

/// The local holding the count of the callback parameter `name` as a `usize`.
fn count_of(name: &str) -> Ident {
    format_ident!("__n_{}", name)
}

impl Gen<'_> {
    /// How the trampolines of `cb` receive and convert its arguments.
    pub(crate) fn native_args(&self, cb: &CallbackDef) -> NativeArgs {
        let mut raw_params = Vec::new();
        let mut counts = Vec::new();
        let mut conv = Vec::new();
        let mut args = Vec::new();
        let mut user = ident("__user");
        if lends(cb) {
            counts.push(refusing(
                &ident("__caller"),
                quote!(::ffi_desc::rt::native_caller(
                    ::ffi_desc::rt::description_token(&FINGERPRINT)
                )),
            ));
        }
        for (i, p) in cb.params.iter().enumerate() {
            let a = format_ident!("__a{}", i);
            let t = self.callback_param_raw_ty(p);
            raw_params.push(quote!(#a: #t));
            match p {
                CallbackParam::Value { ty, .. } => match ty {
                    ValueType::Named(n) if self.is_enum(n) => {
                        args.push(quote!(::ffi_desc::EnumField::from_raw(#a)))
                    }
                    _ => args.push(quote!(#a)),
                },
                CallbackParam::Length { name, .. } => counts.push(refusing(
                    &count_of(name),
                    quote!(::ffi_desc::rt::callback_count(#a)),
                )),
                CallbackParam::CStr { nullable, .. } => {
                    // SAFETY (generated below): C passes NULL or a NUL-terminated
                    // string valid for the callback.
                    if *nullable {
                        conv.push(quote!(let #a = unsafe { ::ffi_desc::rt::c_opt_str(#a) };));
                    } else {
                        conv.push(refusing(&a, quote!(unsafe { ::ffi_desc::rt::c_str(#a) })));
                    }
                    args.push(quote!(#a));
                }
                CallbackParam::Strings {
                    extent, nullable, ..
                } => {
                    let read = if *nullable {
                        quote!(c_opt_strings)
                    } else {
                        quote!(c_strings)
                    };
                    let n = match extent {
                        Extent::Param(len) => {
                            let n = count_of(len);
                            quote!(::core::result::Result::<usize, &'static str>::Ok(#n))
                        }
                        _ => quote!(unsafe { ::ffi_desc::rt::c_strings_count(#a) }),
                    };
                    conv.push(refusing(
                        &a,
                        quote!(#n.and_then(|__n| unsafe { ::ffi_desc::rt::#read(#a, __n) })),
                    ));
                    args.push(quote!(&#a[..]));
                }
                CallbackParam::Buffer { len, .. } => {
                    let n = count_of(len);
                    conv.push(refusing(
                        &a,
                        quote!(unsafe { ::ffi_desc::rt::c_slice(#a, #n) }),
                    ));
                    args.push(quote!(#a));
                }
                CallbackParam::Handle { ty, user_data, .. } => {
                    let v = format_ident!("__v{}", i);
                    let view = self.native_view(ty, quote!(#a));
                    conv.push(quote! {
                        if #a.is_null() {
                            // SAFETY: all-zero is a valid value of every callback result type.
                            return unsafe { ::ffi_desc::rt::refused(::ffi_desc::rt::REFUSALS[9]) };
                        }
                        let #v = #view;
                    });
                    if let Some(f) = user_data {
                        conv.push(self.native_user_data(f, &a));
                    }
                    args.push(quote!(&#v));
                }
                CallbackParam::Handles { ty, len, .. } => {
                    let n = count_of(len);
                    let (vs, rs) = (format_ident!("__vs{}", i), format_ident!("__rs{}", i));
                    let view = self.native_view(ty, quote!(*__p));
                    conv.push(refusing(
                        &a,
                        quote!(unsafe { ::ffi_desc::rt::c_handles(#a, #n) }),
                    ));
                    conv.push(quote! {
                        let #vs: ::ffi_desc::__private::Vec<_> = #a.iter().map(|__p| #view).collect();
                        let #rs: ::ffi_desc::__private::Vec<&_> = #vs.iter().collect();
                    });
                    args.push(quote!(&#rs[..]));
                }
                CallbackParam::UserData { .. } => user = a,
            }
        }
        counts.extend(conv);
        let raw_ret = match &cb.ret {
            None => quote!(()),
            Some(t) => self.raw_value_ty(t),
        };
        let to_raw = match &cb.ret {
            Some(ValueType::Named(n)) if self.is_enum(n) => quote!(.raw()),
            _ => quote!(),
        };
        NativeArgs {
            raw_params,
            conv: counts,
            args,
            user,
            raw_ret,
            to_raw,
        }
    }

    /// A view of the handle `raw` of type `ty` C lent a callback, owned by
    /// the linkage instance whose call runs (`__caller`).
    fn native_view(&self, ty: &str, raw: TokenStream) -> TokenStream {
        let (t, idx) = (ident(ty), self.opaque_index(ty));
        quote!(#t { core: ::ffi_desc::rt::HandleCore::view(#raw as usize as u64, #idx, __caller.owner as *const ()) })
    }

    /// `__user`, from the function `f` that gives it for the handle `a`, as
    /// the calling instance reaches `f`.
    fn native_user_data(&self, f: &str, a: &Ident) -> TokenStream {
        let j = self
            .user_data_fns()
            .iter()
            .position(|g| *g == f)
            .unwrap_or_default();
        quote! {
            let __getter = __caller.getters[#j];
            if __getter == 0 {
                // SAFETY: all-zero is a valid value of every callback result type.
                return unsafe { ::ffi_desc::rt::refused(::ffi_desc::rt::REFUSALS[10]) };
            }
            // SAFETY: a nonzero getter is the address of the described
            // function `f(h) -> void *`, as the calling instance resolved it;
            // `#a` is the non-NULL handle C lent this callback.
            let __user = unsafe {
                ::core::mem::transmute::<usize, unsafe extern "C" fn(*mut ::ffi_desc::c::c_void) -> *mut ::ffi_desc::c::c_void>(__getter)(#a)
            };
            if __user.is_null() {
                // SAFETY: all-zero is a valid value of every callback result type.
                return unsafe { ::ffi_desc::rt::refused(::ffi_desc::rt::REFUSALS[11]) };
            }
        }
    }

    /// Linked and Loaded, around the C call of a description whose callbacks
    /// are lent handles: the instance marked as the thread's caller, for
    /// the trampolines; `None` for other descriptions.
    pub(crate) fn native_caller(&self, c: &Callee) -> Option<(TokenStream, TokenStream)> {
        if !self.desc.lends_handles() {
            return None;
        }
        let fns = self.user_data_fns();
        if fns.len() > ffi_desc_max_user_data() {
            return Some((
                quote!(::core::compile_error!("a description names at most 4 #[user_data] functions");),
                quote!(),
            ));
        }
        let mut getters: Vec<TokenStream> = fns
            .iter()
            .map(|f| {
                let sym = self
                    .desc
                    .function(f)
                    .map(Function::symbol)
                    .unwrap_or_default();
                let e = (c.fn_expr)(&sym);
                quote!(#e as usize)
            })
            .collect();
        getters.resize(ffi_desc_max_user_data(), quote!(0));
        let owner = &c.owner_id;
        Some((
            quote! {
                let __caller = ::ffi_desc::rt::enter_native_call(::ffi_desc::rt::NativeCaller {
                    owner: #owner as usize,
                    desc: ::ffi_desc::rt::description_token(&FINGERPRINT),
                    getters: [#(#getters),*],
                });
            },
            quote!(::ffi_desc::rt::leave_native_call(__caller);),
        ))
    }

    /// For each callback type, the trampolines C calls: one for a closure
    /// passed for the call, one for a closure the linkage stores; and one
    /// for each slot of the callbacks kept on handles.
    pub(crate) fn trampolines(&self) -> TokenStream {
        let mut out = Vec::new();
        for cb in &self.desc.callbacks {
            let (ps, ret) = self.callback_closure_sig(cb, None);
            let NativeArgs {
                raw_params,
                conv,
                args,
                user,
                raw_ret,
                to_raw,
            } = self.native_args(cb);
            let call_t = format_ident!("__tramp_call_{}", cb.name);
            let stored_t = format_ident!("__tramp_stored_{}", cb.name);
            out.push(quote! {
                #[allow(non_snake_case, unused_unsafe)]
                unsafe extern "C" fn #call_t(#(#raw_params),*) -> #raw_ret {
                    #(#conv)*
                    // SAFETY: the user data is the `DuringCall` the calling method
                    // placed on its stack; C calls back only during that call.
                    let ::core::option::Option::Some(mut __running) = (unsafe {
                        ::ffi_desc::rt::DuringCall::<&mut dyn FnMut(#(#ps),*) -> #ret>::enter(#user as *mut _)
                    }) else {
                        // Another thread, or inside itself: refused for the call.
                        // SAFETY: all-zero is a valid value of every callback result type.
                        return unsafe { ::core::mem::zeroed() };
                    };
                    let __f: &mut &mut dyn FnMut(#(#ps),*) -> #ret = &mut __running;
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(#(#args),*) #to_raw)
                }
                #[allow(non_snake_case, dead_code, unused_unsafe)]
                unsafe extern "C" fn #stored_t(#(#raw_params),*) -> #raw_ret {
                    #(#conv)*
                    // SAFETY: the user data is a boxed closure kept alive by the
                    // linkage's callback store for as long as C may call it.
                    let __f = unsafe { &*(#user as *const ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync>) };
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(#(#args),*) #to_raw)
                }
            });
        }
        out.push(self.on_handle_trampolines());
        quote!(#(#out)*)
    }
}

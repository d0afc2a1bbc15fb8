// app_spec.hpp — AppSpec: a type-erased (app class, spec value) pair.
//
// Config stores one per app. Two AppSpecs are equal when they name the same
// app class and their specs compare equal (Spec::operator==), which is how
// Engine::configure tells an unchanged app from a changed one.
//
//   AppSpec s = AppSpec::of<Source>(SourceSpec{.sizes_bytes = {60}});
//   s.type_name()        — "synnet::Source" (for messages)
//   s.validate()         — Spec::validate() if the spec has one (throws std::invalid_argument)
//   s.ports()            — App::ports(spec), or one "input" and one "output"
//   s.reconfigurable()   — whether App has reconfigure(const Spec&)
//   s.instantiate(ctx)   — a new app instance
//   s.reconfigure(app)   — app.reconfigure(spec), for a reconfigurable app
//   s.pulls()            — whether App overrides pull()
#pragma once

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>

#include "engine/app.hpp"

namespace synnet {

template <class A>
concept AppClass = std::derived_from<A, App> && std::equality_comparable<typename A::Spec> &&
    std::copy_constructible<typename A::Spec> && std::constructible_from<A, AppContext&, const typename A::Spec&>;

inline std::string demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> s(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && s ? std::string(s.get()) : std::string(mangled);
}

class AppSpec {
 public:
  template <AppClass A>
  static AppSpec of(typename A::Spec spec) {
    return AppSpec(std::make_shared<const Holder<A>>(std::move(spec)));
  }

  std::type_index type() const { return impl_->type(); }
  std::string type_name() const { return demangle(impl_->type().name()); }
  void validate() const { impl_->validate(); }
  Ports ports() const { return impl_->ports(); }
  bool reconfigurable() const { return impl_->reconfigurable(); }
  bool pulls() const { return impl_->pulls(); }
  std::unique_ptr<App> instantiate(AppContext& ctx) const { return impl_->instantiate(ctx); }
  void reconfigure(App& app) const { impl_->reconfigure(app); }
  // The spec, for an app of type A (tests and tools that inspect a Config);
  // throws std::bad_cast for another type.
  template <AppClass A>
  const typename A::Spec& spec() const {
    if (type() != typeid(A)) throw std::bad_cast();
    return static_cast<const Holder<A>&>(*impl_).spec;
  }

  friend bool operator==(const AppSpec& a, const AppSpec& b) {
    return a.impl_ == b.impl_ || (a.type() == b.type() && a.impl_->equals(*b.impl_));
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual std::type_index type() const = 0;
    virtual bool equals(const Base& other) const = 0;  // same type() guaranteed
    virtual void validate() const = 0;
    virtual Ports ports() const = 0;
    virtual bool reconfigurable() const = 0;
    virtual bool pulls() const = 0;
    virtual std::unique_ptr<App> instantiate(AppContext& ctx) const = 0;
    virtual void reconfigure(App& app) const = 0;
  };

  template <AppClass A>
  struct Holder final : Base {
    using Spec = typename A::Spec;
    explicit Holder(Spec s) : spec(std::move(s)) {}
    Spec spec;

    std::type_index type() const override { return typeid(A); }
    bool equals(const Base& other) const override { return spec == static_cast<const Holder&>(other).spec; }
    void validate() const override {
      if constexpr (requires(const Spec& s) { s.validate(); }) spec.validate();
    }
    Ports ports() const override {
      if constexpr (requires(const Spec& s) {
                      { A::ports(s) } -> std::convertible_to<Ports>;
                    }) {
        return A::ports(spec);
      } else {
        return Ports::fixed({"input"}, {"output"});
      }
    }
    bool reconfigurable() const override {
      return requires(A & a, const Spec& s) { a.reconfigure(s); };
    }
    // An app that does not override pull() has &A::pull of type void (App::*)().
    bool pulls() const override { return !std::is_same_v<decltype(&A::pull), void (App::*)()>; }
    std::unique_ptr<App> instantiate(AppContext& ctx) const override { return std::make_unique<A>(ctx, spec); }
    void reconfigure(App& app) const override {
      if constexpr (requires(A & a, const Spec& s) { a.reconfigure(s); }) {
        static_cast<A&>(app).reconfigure(spec);
      }
    }
  };

  explicit AppSpec(std::shared_ptr<const Base> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Base> impl_;  // immutable, so sharing between configs is safe
};

}  // namespace synnet

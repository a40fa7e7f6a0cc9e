<?xml version="1.0" encoding="UTF-8"?>
<!-- Register pages: persons, places, organisations, each entry with every passage that mentions it. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:mode name="entry" on-no-match="shallow-skip"/>

  <xsl:variable name="p:register-labels" as="map(xs:string, xs:string)"
    select="map{'person': 'Persons', 'place': 'Places', 'org': 'Organisations'}"/>

  <xsl:template name="f:register-page">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:variable name="entries" select="$f:registers//(if ($kind = 'person') then (person | personGrp)
                                         else if ($kind = 'place') then place else org)[@xml:id]"/>
    <xsl:variable name="file" select="f:register-page($kind)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="$p:register-labels($kind)"/>
      <xsl:with-param name="current" select="substring-before($file, '.html')"/>
      <xsl:with-param name="file" select="$file"/>
      <xsl:with-param name="main-class" select="'register'"/>
      <xsl:with-param name="body">
        <h1>{$p:register-labels($kind)}</h1>
        <p class="register-summary">{count($entries)} entries. Each lists the passages that mention it, in the order of the edition.</p>
        <xsl:variable name="sorted" as="element()*">
          <xsl:perform-sort select="$entries">
            <xsl:sort select="lower-case(p:sort-name(.))"/>
          </xsl:perform-sort>
        </xsl:variable>
        <nav class="letters" aria-label="Initial letters">
          <ul>
            <xsl:for-each-group select="$sorted" group-by="upper-case(substring(p:sort-name(.), 1, 1))">
              <li><a href="#letter-{$kind}-{current-grouping-key()}">{current-grouping-key()}</a></li>
            </xsl:for-each-group>
          </ul>
        </nav>
        <xsl:for-each-group select="$sorted" group-by="upper-case(substring(p:sort-name(.), 1, 1))">
          <section class="letter" aria-labelledby="letter-{$kind}-{current-grouping-key()}">
            <h2 id="letter-{$kind}-{current-grouping-key()}" class="letter-heading">{current-grouping-key()}</h2>
            <xsl:apply-templates select="current-group()" mode="entry"/>
          </section>
        </xsl:for-each-group>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="p:main-name" as="element()?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="($entry/(persName | placeName | orgName)[@type = 'main'],
                           $entry/(persName | placeName | orgName))[1]"/>
  </xsl:function>

  <xsl:function name="p:sort-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="name" select="p:main-name($entry)"/>
    <xsl:sequence select="normalize-space(string-join(($name/surname, $name/forename, $name[not(surname)]), ' '))"/>
  </xsl:function>

  <xsl:template match="person | personGrp | place | org" mode="entry">
    <xsl:variable name="id" select="string(@xml:id)"/>
    <xsl:variable name="mentions" select="f:mentions($id)"/>
    <article id="{$id}" class="entry {local-name()}" aria-labelledby="{$id}-name">
      <h3 id="{$id}-name">
        <xsl:value-of select="normalize-space(p:main-name(.))"/>
        <xsl:if test="@cert = ('low', 'medium')"><span class="cert" title="identification uncertain"> (identification uncertain)</span></xsl:if>
      </h3>
      <dl class="entry-facts">
        <xsl:variable name="variants" select="(persName | placeName | orgName) except p:main-name(.)"/>
        <xsl:if test="$variants">
          <div><dt>Also</dt><dd>{string-join($variants ! normalize-space(.), '; ')}</dd></div>
        </xsl:if>
        <xsl:if test="birth or death">
          <div><dt>Dates</dt><dd>{(birth ! f:date-label(.), '?')[1]} – {(death ! f:date-label(.), '')[1]}</dd></div>
        </xsl:if>
        <xsl:for-each select="occupation | roleName | affiliation | desc | state | trait">
          <div><dt>{if (self::occupation or self::roleName) then 'Role' else if (self::affiliation) then 'Affiliation' else 'Description'}</dt>
            <dd><xsl:apply-templates/><xsl:if test="@when or @notBefore or @notAfter or @from or @to"> ({f:date-label(.)})</xsl:if></dd></div>
        </xsl:for-each>
        <xsl:for-each select="location[geo]">
          <div><dt>Location</dt><dd>{normalize-space(geo)}</dd></div>
        </xsl:for-each>
        <xsl:if test="idno[f:authority-href(.)]">
          <div><dt>Authority</dt><dd><ul class="authorities">
            <xsl:for-each select="idno[f:authority-href(.)]">
              <li><a href="{f:authority-href(.)}">{f:authority-label(.)}</a></li>
            </xsl:for-each>
          </ul></dd></div>
        </xsl:if>
        <xsl:for-each select="note">
          <div><dt>Note</dt><dd><xsl:apply-templates/></dd></div>
        </xsl:for-each>
        <div class="mentions">
          <dt>Mentioned in</dt>
          <dd>
            <xsl:choose>
              <xsl:when test="empty($mentions)">No passage of the edition.</xsl:when>
              <xsl:otherwise>
                <ul class="mention-list">
                  <xsl:for-each-group select="$mentions" group-adjacent="f:page-name(..)">
                    <li>
                      <a href="{f:document-href(..)}">{f:document-label(..)}</a>:
                      <xsl:for-each-group select="current-group()" group-by="@passage">
                        <xsl:if test="position() gt 1">, </xsl:if>
                        <a class="passage" href="{f:document-href(..)}#{@passage}">{@label}</a>
                      </xsl:for-each-group>
                    </li>
                  </xsl:for-each-group>
                </ul>
              </xsl:otherwise>
            </xsl:choose>
          </dd>
        </div>
      </dl>
    </article>
  </xsl:template>
</xsl:stylesheet>
